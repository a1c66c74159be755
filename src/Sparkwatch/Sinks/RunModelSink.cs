using Sparkwatch.Storage;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>
/// The run model (jobs, stages, tasks, executors; served by <c>/api/v1</c>) as a sink: the store projects each run's
/// accepted events and moves the model's cursor in one transaction, so it is exactly once, off the acknowledgement path.
/// Then, with <paramref name="summaries"/>, the stage attempts those events completed get their task summaries kept
/// (after the projection's transactions, never inside one).
/// </summary>
public sealed class RunModelSink(IRunModelProjection projection, StageSummaryKeeper? summaries = null) : IEventSink
{
    /// <inheritdoc/>
    public string Name => RunModelProjection.SinkName;

    /// <inheritdoc/>
    public async Task ApplyAsync(PendingRun run, IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken)
    {
        // Whole payloads of about CatchUpChunk events per transaction: on SQLite a projection holds the one writer, so
        // short transactions keep ingest commits (and their acknowledgements) from waiting long behind it.
        var start = 0;
        while (start < events.Count)
        {
            var end = Math.Min(start + RunModelProjection.CatchUpChunk, events.Count);
            while (end < events.Count && events[end].Position == events[end - 1].Position) end++;
            await projection.ProjectAsync(run.RunPk, events.Skip(start).Take(end - start).ToList(), events[end - 1].Position, cancellationToken);
            start = end;
        }
        if (summaries is not null && StageSummaryKeeper.StagesCompletedBy(events) is { Count: > 0 } completed)
        {
            await summaries.KeepAsync(run.RunPk, completed, cancellationToken);
        }
    }
}
