using Sparkwatch.Archive.Retention;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Sinks.Archive;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Retention;

namespace Sparkwatch.Retention;

/// <summary>
/// Drops the hot event bytes of completed runs past their age once the archive holds them: the archive has finished the
/// run (complete, no open part, every accepted payload in a part), every sink applied it, and the archived lines are
/// checked byte for byte against the store before anything is dropped. A run that fails a check keeps its events (logged).
/// </summary>
public sealed class HotEventRetainer(IHotEventRetention store, IAcceptedLog accepted, IArchiveTarget archive, TimeProvider time, ILogger<HotEventRetainer> logger)
{
    /// <summary>Due runs read per page.</summary>
    public const int RunsPerPage = 100;

    private const int CompareChunk = 10_000;

    /// <summary>One pass: every due run checked and, when the archive holds it, dropped.</summary>
    public async Task<RetentionPass> RetainDueAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)age.TotalMilliseconds;
        var pass = new RetentionPass(0, 0, 0);
        // Page by page, so runs kept (the archive not done with them) never hide the runs behind them.
        for (RetentionCandidate? after = null; ;)
        {
            var page = await store.RetentionCandidatesAsync(ArchiveSink.SinkName, before, after, RunsPerPage, cancellationToken);
            foreach (var run in page) pass = await RetainAsync(run, pass, cancellationToken);
            if (page.Count < RunsPerPage) return pass;
            after = page[^1];
        }
    }

    /// <summary>Drops the run's hot events when the archive holds it and matches the store; counts it kept otherwise.</summary>
    private async Task<RetentionPass> RetainAsync(RetentionCandidate run, RetentionPass pass, CancellationToken cancellationToken)
    {
        try
        {
            var log = await ArchivedRunLog.LoadAsync(archive, run.Run, cancellationToken);
            if (!log.Holds(run.AcceptedPosition)) return pass with { Kept = pass.Kept + 1 };
            await log.CheckAsync(run.AcceptedPosition, cancellationToken);
            await CompareAsync(log, run, cancellationToken);
            var dropped = await store.DropEventBytesAsync(run, run.AcceptedPosition, cancellationToken);
            logger.LogInformation("Retention: {Events} events of {Job}/{Run} are now served from the archive.", dropped, run.Run.JobName, run.Run.RunId);
            return pass with { Runs = pass.Runs + 1, Events = pass.Events + dropped };
        }
        catch (ArchiveUnreadableException e)
        {
            logger.LogWarning(e, "Retention keeps the events of {Job}/{Run} in the store: {Reason}", run.Run.JobName, run.Run.RunId, e.Message);
            return pass with { Kept = pass.Kept + 1 };
        }
    }

    /// <summary>Checks that the archived lines after those already retained are, in order, the run's accepted events up to its position.</summary>
    private async Task CompareAsync(ArchivedRunLog log, RetentionCandidate run, CancellationToken cancellationToken)
    {
        await using var lines = log.ReadLinesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var number = 0L;
        for (; number < run.RetainedLines; number++)
        {
            if (!await lines.MoveNextAsync()) throw Differs(run, $"it has {number} lines, the store dropped {run.RetainedLines} already");
        }
        for (var after = run.RetainedPosition; after < run.AcceptedPosition;)
        {
            var next = await accepted.ReadAcceptedAsync(run.RunPk, after, CompareChunk, cancellationToken);
            if (next.LastPosition <= after) break;
            foreach (var e in next.Events.Where(e => e.Position <= run.AcceptedPosition))
            {
                number++;
                if (!await lines.MoveNextAsync()) throw Differs(run, $"it ends at line {number - 1}, before the event of seq {e.Seq}");
                if (!lines.Current.Span.SequenceEqual(e.Json)) throw Differs(run, $"line {number} is not the stored event of seq {e.Seq}");
            }
            after = next.LastPosition;
        }
    }

    private static ArchiveUnreadableException Differs(RetentionCandidate run, string what) =>
        new($"The archived log of run '{run.Run.RunId}' of job '{run.Run.JobName}' does not match the store: {what}.");
}

/// <summary>What one retention pass did.</summary>
/// <param name="Runs">Runs whose hot events were dropped.</param>
/// <param name="Events">Events dropped.</param>
/// <param name="Kept">Due runs kept (the archive has not finished them, or does not match the store).</param>
public sealed record RetentionPass(long Runs, long Events, long Kept);
