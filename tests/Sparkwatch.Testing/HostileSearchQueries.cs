namespace Sparkwatch.Testing;

/// <summary>Queries that would be syntax errors (or worse) if they reached FTS5 or tsquery raw: each must give hits or nothing.</summary>
public static class HostileSearchQueries
{
    /// <summary>The queries, one per test case (xunit member data).</summary>
    public static IEnumerable<object[]> All() => Queries.Select(q => new object[] { q });

    private static readonly string[] Queries =
    [
        "\"", "\"unclosed phrase", "(RuntimeException", "RuntimeException) OR (", "*", "**bad*", "NEAR(bad exec, 2)",
        "text:RuntimeException", "a\0b", "AND OR NOT", "-RuntimeException ^bad", "!:& | <-> ''", "'; DROP TABLE search_docs; --",
        "{text parts}: x", "\u00e9\u00e8 \U0001F600",
    ];
}
