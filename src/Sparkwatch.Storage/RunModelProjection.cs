using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Storage;

/// <summary>
/// The run model as a sink of the accepted stream: each store projects a run's accepted events and moves the model's
/// cursor of that run in one transaction, so the model is exactly once however often events are handed over (by the
/// sink runner, and by reads that catch a run up first).
/// </summary>
public interface IRunModelProjection
{
    /// <summary>
    /// Projects the events of payloads after the model's cursor of the run (earlier ones are skipped: they are in the
    /// model already) and moves the cursor to <paramref name="upToPosition"/>, in one transaction.
    /// </summary>
    Task ProjectAsync(long runPk, IReadOnlyList<AcceptedEvent> events, long upToPosition, CancellationToken cancellationToken);

    /// <summary>The model's cursor of the run and the run's latest accepted position.</summary>
    Task<(long Applied, long Accepted)> ModelPositionAsync(long runPk, CancellationToken cancellationToken);

    /// <summary>Runs whose model is behind what the store accepted, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<long>> RunsBehindAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>The rules of the model sink, written once for every store.</summary>
public static class RunModelProjection
{
    /// <summary>The model sink's name (its cursors in <c>sink_runs</c>, its role <c>sink:model</c>).</summary>
    public const string SinkName = "model";

    /// <summary>Events projected per transaction (whole payloads), short enough not to hold SQLite's one writer long.</summary>
    public const int CatchUpChunk = 500;

    /// <summary>Runs caught up at most before a list is answered (the rest follow through the sink).</summary>
    public const int MaxRunsCaughtUpPerRead = 1000;

    /// <summary>
    /// Brings the model of <paramref name="runPk"/> (of every run behind, when null) up to what the store accepted, so
    /// a read of the model never misses an acknowledged event.
    /// </summary>
    public static async Task CatchUpAsync<TStore>(TStore store, long? runPk, CancellationToken cancellationToken)
        where TStore : IRunModelProjection, IAcceptedLog
    {
        var runs = runPk is { } one ? [one] : await store.RunsBehindAsync(MaxRunsCaughtUpPerRead, cancellationToken);
        foreach (var run in runs)
        {
            var (applied, accepted) = await store.ModelPositionAsync(run, cancellationToken);
            while (applied < accepted)
            {
                var next = await store.ReadAcceptedAsync(run, applied, CatchUpChunk, cancellationToken);
                if (next.LastPosition <= applied) break;
                await store.ProjectAsync(run, next.Events, next.LastPosition, cancellationToken);
                applied = next.LastPosition;
            }
        }
    }
}
