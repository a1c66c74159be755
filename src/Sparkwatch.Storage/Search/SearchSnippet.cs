using System.Net;
using System.Text;

namespace Sparkwatch.Storage.Search;

/// <summary>
/// The highlighted extract of a hit, built the same way for every engine from the document's text: the stretch of
/// about <see cref="Length"/> characters that holds the most of the query's clauses, HTML-escaped, each matching token
/// wrapped in <c>&lt;mark&gt;…&lt;/mark&gt;</c>, with <c>…</c> where text was cut.
/// </summary>
/// <remarks>
/// Built here rather than by FTS5's snippet() or PostgreSQL's ts_headline so both engines highlight alike and by the
/// tokens they matched: ts_headline's parser reads <c>java.lang.OutOfMemoryError</c> as one host name and would not
/// mark <c>OutOfMemoryError</c> in it.
/// </remarks>
public static class SearchSnippet
{
    /// <summary>About how many characters of text a snippet shows.</summary>
    public const int Length = 240;

    // Text shown before the first match: up to this many tokens, within this many characters.
    private const int ContextTokens = 4;
    private const int ContextChars = 60;

    /// <summary>The snippet of <paramref name="text"/> for <paramref name="terms"/>.</summary>
    public static string Build(string text, SearchTerms terms)
    {
        var tokens = SearchText.Tokens(text).ToList();
        var clauseOf = tokens.Select(t => IndexOfMatchingClause(text.AsSpan(t.Start, t.Length), terms)).ToArray();
        var best = BestWindowStart(tokens, clauseOf);
        var first = Math.Max(0, best - ContextTokens);
        var start = best < 0 ? 0 : Math.Max(tokens[first].Start, tokens[best].Start - ContextChars);
        var end = Math.Min(text.Length, start + Length);
        // End after a whole token, unless that token runs on much further.
        var cut = tokens.FindLast(t => t.Start < end);
        var cutEnd = cut.Start + cut.Length;
        if (end < text.Length && cut.Length > 0 && cutEnd > end && cutEnd - end <= ContextChars) end = cutEnd;

        var snippet = new StringBuilder();
        if (start > 0) snippet.Append('…');
        var at = start;
        for (var i = first; i < tokens.Count && tokens[i].Start < end; i++)
        {
            if (best < 0 || clauseOf[i] < 0 || tokens[i].Start < start) continue;
            var (tokenStart, tokenLength) = tokens[i];
            snippet.Append(WebUtility.HtmlEncode(text[at..tokenStart])).Append("<mark>")
                .Append(WebUtility.HtmlEncode(text.Substring(tokenStart, tokenLength))).Append("</mark>");
            at = tokenStart + tokenLength;
        }
        snippet.Append(WebUtility.HtmlEncode(text[at..end]));
        if (end < text.Length) snippet.Append('…');
        return snippet.ToString();
    }

    private static int IndexOfMatchingClause(ReadOnlySpan<char> token, SearchTerms terms)
    {
        for (var c = 0; c < terms.Clauses.Count; c++)
        {
            if (terms.Clauses[c].Matches(token)) return c;
        }
        return -1;
    }

    // The matching token whose window holds the most distinct clauses (the first such); -1 when no token matches.
    private static int BestWindowStart(List<(int Start, int Length)> tokens, int[] clauseOf)
    {
        var best = -1;
        var bestCount = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (clauseOf[i] < 0) continue;
            var seen = new HashSet<int>();
            for (var j = i; j < tokens.Count && tokens[j].Start < tokens[i].Start + Length; j++)
            {
                if (clauseOf[j] >= 0) seen.Add(clauseOf[j]);
            }
            if (seen.Count > bestCount)
            {
                best = i;
                bestCount = seen.Count;
            }
        }
        return best;
    }
}
