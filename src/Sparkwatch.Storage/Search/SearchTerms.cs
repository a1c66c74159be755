namespace Sparkwatch.Storage.Search;

/// <summary>
/// A parsed search. The language is small and nothing in it is an operator a user can break:
/// <list type="bullet">
/// <item>words are ANDed, case-insensitively: <c>RuntimeException bad</c>;</item>
/// <item><c>"…"</c> is a phrase (its tokens in a row); a word holding punctuation is one too, so
/// <c>java.lang.OutOfMemoryError</c> and <c>Caused by:</c> work as written;</item>
/// <item>a word or phrase ending in <c>*</c> matches its last token as a prefix: <c>OutOfMem*</c>;</item>
/// <item>a compound word also matches as its parts: <c>OutOfMemory</c> finds <c>OutOfMemoryError</c>;</item>
/// <item>everything else (parentheses, <c>:</c>, <c>NEAR</c>, <c>AND</c>, <c>OR</c>, NUL…) is plain text: punctuation separates tokens, operators are words.</item>
/// </list>
/// </summary>
/// <param name="Clauses">What must all match.</param>
public sealed record SearchTerms(IReadOnlyList<SearchClause> Clauses)
{
    /// <summary>Most clauses a query keeps (the rest are dropped): bounds the statement an engine runs.</summary>
    public const int MaxClauses = 16;

    /// <summary>Most tokens a phrase keeps.</summary>
    public const int MaxPhraseTokens = 32;

    /// <summary>True when the query holds no token (only punctuation): it matches nothing.</summary>
    public bool IsEmpty => Clauses.Count == 0;

    /// <summary>Parses <paramref name="query"/>.</summary>
    public static SearchTerms Parse(string query)
    {
        var clauses = new List<SearchClause>();
        var i = 0;
        while (i < query.Length && clauses.Count < MaxClauses)
        {
            if (char.IsWhiteSpace(query[i]))
            {
                i++;
                continue;
            }
            string chunk;
            if (query[i] == '"')
            {
                var close = query.IndexOf('"', i + 1);
                var end = close < 0 ? query.Length : close;
                chunk = query[(i + 1)..end];
                i = end + 1;
                // A star right after the closing quote makes the phrase's last token a prefix.
                if (close >= 0 && i < query.Length && query[i] == '*')
                {
                    chunk += "*";
                    i++;
                }
            }
            else
            {
                var start = i;
                while (i < query.Length && !char.IsWhiteSpace(query[i]) && query[i] != '"') i++;
                chunk = query[start..i];
            }
            if (SearchClause.From(chunk) is { } clause) clauses.Add(clause);
        }
        return new SearchTerms(clauses);
    }
}

/// <summary>One thing that must match: a token, or tokens in a row.</summary>
/// <param name="Tokens">The lowercase tokens, in order.</param>
/// <param name="Prefix">Whether the last token matches as a prefix.</param>
/// <param name="Parts">For a single compound token, its parts (an alternative phrase matched against the index's parts); else empty.</param>
public sealed record SearchClause(IReadOnlyList<string> Tokens, bool Prefix, IReadOnlyList<string> Parts)
{
    /// <summary>The clause of a word or phrase as typed; null when it holds no token.</summary>
    public static SearchClause? From(string chunk)
    {
        var prefix = chunk.TrimEnd().EndsWith('*');
        var ranges = SearchText.Tokens(chunk).Take(SearchTerms.MaxPhraseTokens).ToList();
        if (ranges.Count == 0) return null;
        var tokens = ranges.Select(r => chunk.Substring(r.Start, r.Length).ToLowerInvariant()).ToList();
        var parts = ranges.Count == 1 ? SearchText.CamelParts(chunk.AsSpan(ranges[0].Start, ranges[0].Length)) : [];
        return new SearchClause(tokens, prefix, parts);
    }

    /// <summary>Whether a token of a text (as written) matches one of this clause's tokens, by itself or by its parts (for highlighting).</summary>
    public bool Matches(ReadOnlySpan<char> textToken)
    {
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (Same(textToken, Tokens[i], Prefix && i == Tokens.Count - 1)) return true;
        }
        if (Tokens.Count > 1) return false;
        var textParts = SearchText.CamelParts(textToken);
        if (Parts.Count == 0) return textParts.Any(p => Same(p, Tokens[0], Prefix));
        for (var start = 0; start + Parts.Count <= textParts.Count; start++)
        {
            if (Parts.Select((p, k) => Same(textParts[start + k], p, Prefix && k == Parts.Count - 1)).All(same => same)) return true;
        }
        return false;
    }

    private static bool Same(ReadOnlySpan<char> token, string wanted, bool prefix) =>
        prefix ? token.StartsWith(wanted, StringComparison.OrdinalIgnoreCase) : token.Equals(wanted, StringComparison.OrdinalIgnoreCase);
}
