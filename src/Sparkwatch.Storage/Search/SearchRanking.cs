namespace Sparkwatch.Storage.Search;

/// <summary>
/// Ranking parameters shared by the engines: each engine's relevance (SQLite's bm25, PostgreSQL's ts_rank_cd) weighs a
/// match in the text above a match in a compound's parts, and is multiplied by the weight of the document's kind.
/// </summary>
public static class SearchRanking
{
    /// <summary>Weight of a match in the text itself.</summary>
    public const double TextWeight = 1.0;

    /// <summary>Weight of a match in the parts of a compound identifier only.</summary>
    public const double PartsWeight = 0.5;

    /// <summary>The weight of a document of <paramref name="kind"/>: failures first, then names, users, configuration.</summary>
    public static double WeightOf(SearchFieldKind kind) => kind switch
    {
        SearchFieldKind.Failure => 4.0,
        SearchFieldKind.Name => 2.0,
        SearchFieldKind.User => 1.5,
        _ => 1.0,
    };
}
