using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Search;

namespace Sparkwatch.Sinks.Search;

/// <summary>
/// Feeds the full-text index (<c>GET /search</c>) from the accepted stream: each event's searchable fields
/// (<see cref="SearchExtractor"/>) become documents keyed by (run, seq, field), so events applied again are not indexed twice.
/// </summary>
public sealed class SearchSink(ISearchIndex index) : IEventSink
{
    /// <summary>The sink's name.</summary>
    public const string SinkName = "search";

    /// <inheritdoc/>
    public string Name => SinkName;

    /// <inheritdoc/>
    public Task ApplyAsync(PendingRun run, IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken) =>
        index.IndexAsync(run.RunPk, [.. events.SelectMany(SearchExtractor.Extract)], cancellationToken);
}
