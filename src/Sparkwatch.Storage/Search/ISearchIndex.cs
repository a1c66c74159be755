namespace Sparkwatch.Storage.Search;

/// <summary>
/// The full-text index across runs (fed by the search sink, read by <c>GET /search</c>). One document per event field,
/// identified by (run, seq, field): indexing the same event again changes nothing.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Indexes <paramref name="documents"/> of the run <paramref name="runPk"/>; documents already indexed (same seq and field) are kept as they are.</summary>
    Task IndexAsync(long runPk, IReadOnlyList<SearchDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>The best hits of <paramref name="query"/> after its cursor, best first (ties in run, seq and field order).</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);
}

/// <summary>One searchable field of one event.</summary>
/// <param name="Seq">The event's seq in its run.</param>
/// <param name="GeneratedAt">The event's time (epoch ms).</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Field">Which field of the event the text comes from (a JSON name: <c>Full Stack Trace</c>, <c>App Name</c>, <c>Spark Properties</c>…).</param>
/// <param name="Kind">What the text is, which weighs its rank.</param>
/// <param name="Text">The text as the event holds it (at most <see cref="SearchText.MaxTextLength"/> characters).</param>
public sealed record SearchDocument(long Seq, long GeneratedAt, string EventType, string Field, SearchFieldKind Kind, string Text);

/// <summary>What a document's text is; failures outrank names, names outrank configuration.</summary>
public enum SearchFieldKind
{
    /// <summary>A failure reason, an exception, a stack trace.</summary>
    Failure,
    /// <summary>A name or description of an application, job, stage or SQL execution.</summary>
    Name,
    /// <summary>The user who ran the application.</summary>
    User,
    /// <summary>Configuration keys and values (redacted at ingest).</summary>
    Configuration,
}

/// <summary>A search: parsed terms, filters and the page to return.</summary>
/// <param name="Terms">What to look for (every clause must match).</param>
/// <param name="JobName">Only hits of this job.</param>
/// <param name="From">Only events at or after this time (epoch ms).</param>
/// <param name="To">Only events at or before this time (epoch ms).</param>
/// <param name="EventType">Only events of this type.</param>
/// <param name="Limit">Most hits returned.</param>
/// <param name="After">The position of the last hit of the previous page.</param>
public sealed record SearchQuery(SearchTerms Terms, string? JobName, long? From, long? To, string? EventType, int Limit, SearchPosition? After);

/// <summary>Where a hit sorts: by score (lower is better), then run, seq and field. A page cursor.</summary>
/// <param name="Score">The hit's score (the engine's rank times the field's weight; lower is better).</param>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="Seq">The event's seq.</param>
/// <param name="Field">The document's field.</param>
public sealed record SearchPosition(double Score, long RunPk, long Seq, string Field);

/// <summary>One hit.</summary>
/// <param name="Position">Where it sorts (the cursor after it).</param>
/// <param name="JobName">The run's job.</param>
/// <param name="RunId">The run's id.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="GeneratedAt">The event's time (epoch ms).</param>
/// <param name="Snippet">The best part of the text, HTML-escaped, matches in <c>&lt;mark&gt;</c>.</param>
public sealed record SearchHit(SearchPosition Position, string JobName, string RunId, string EventType, long GeneratedAt, string Snippet)
{
    /// <summary>The field that matched.</summary>
    public string Field => Position.Field;
}
