using System.Text;

namespace Sparkwatch.Storage.Search;

/// <summary>
/// How text is cut into searchable tokens, the same way for every engine and for both sides (index and query): a token
/// is a run of letters and digits, compared lowercase. <c>java.lang.OutOfMemoryError: Java heap space</c> is
/// <c>java lang outofmemoryerror java heap space</c>, so the short and the full name of a class both find it. Compound
/// identifiers are also indexed by their parts (<see cref="Parts"/>: <c>out of memory error</c>), kept apart from the
/// text so phrases of the text stay exact.
/// </summary>
public static class SearchText
{
    /// <summary>Longest text indexed per document (a stack trace beyond it is cut): bounds the index and PostgreSQL's tsvector.</summary>
    public const int MaxTextLength = 32 * 1024;

    /// <summary>Whether <paramref name="c"/> belongs to a token.</summary>
    public static bool IsTokenChar(char c) => char.IsLetterOrDigit(c);

    /// <summary>The tokens of <paramref name="text"/> as (start, length) ranges, in order.</summary>
    public static IEnumerable<(int Start, int Length)> Tokens(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inToken = i < text.Length && IsTokenChar(text[i]);
            if (inToken && start < 0) start = i;
            else if (!inToken && start >= 0)
            {
                yield return (start, i - start);
                start = -1;
            }
        }
    }

    /// <summary>The lowercase tokens of <paramref name="text"/>.</summary>
    public static IEnumerable<string> Words(string text) => Tokens(text).Select(t => text.Substring(t.Start, t.Length).ToLowerInvariant());

    /// <summary>
    /// The parts of a compound token (<c>OutOfMemoryError</c> → <c>out of memory error</c>, <c>HTTPServer</c> →
    /// <c>http server</c>), lowercase; empty when it has one part.
    /// </summary>
    public static IReadOnlyList<string> CamelParts(ReadOnlySpan<char> token)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 1; i < token.Length; i++)
        {
            var lowerToUpper = char.IsUpper(token[i]) && char.IsLower(token[i - 1]);
            var acronymEnd = char.IsUpper(token[i]) && char.IsUpper(token[i - 1]) && i + 1 < token.Length && char.IsLower(token[i + 1]);
            if (!lowerToUpper && !acronymEnd) continue;
            parts.Add(token[start..i].ToString().ToLowerInvariant());
            start = i;
        }
        if (parts.Count == 0) return [];
        parts.Add(token[start..].ToString().ToLowerInvariant());
        return parts;
    }

    /// <summary>
    /// The parts of every compound token of <paramref name="text"/>, each compound once, one per line: what the index
    /// holds beside the text so <c>memory</c> or <c>OutOfMemory</c> find <c>OutOfMemoryError</c>.
    /// </summary>
    public static string Parts(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = new StringBuilder();
        foreach (var (start, length) in Tokens(text))
        {
            var token = text.AsSpan(start, length);
            var split = CamelParts(token);
            if (split.Count == 0 || !seen.Add(token.ToString())) continue;
            parts.AppendJoin(' ', split).Append('\n');
        }
        return parts.ToString();
    }

    /// <summary>Text fit to index: NUL (which PostgreSQL text cannot hold) made a space, cut at <see cref="MaxTextLength"/>.</summary>
    public static string Clean(string text)
    {
        if (text.Length > MaxTextLength) text = text[..MaxTextLength];
        return text.Replace('\0', ' ');
    }
}
