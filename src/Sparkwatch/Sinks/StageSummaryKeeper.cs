using System.Diagnostics;
using Sparkwatch.Model;
using Sparkwatch.Model.Api;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>
/// The step of the <c>model</c> sink after it projected a run's events: keeps the default task summaries of each stage
/// attempt those events completed (<see cref="SparkApi.KeepStageSummariesAsync"/>, the read side's own code), so the
/// first <c>taskSummary</c> of a finished stage reads one row instead of scanning its tasks. Behind the
/// acknowledgement like the sink; the scan is a read (on SQLite it never holds the writer), each kept row one small
/// write. A failure is logged and left to the read side, which computes a missing or stale summary on demand.
/// </summary>
public sealed class StageSummaryKeeper(SparkApi api, ILogger<StageSummaryKeeper> logger)
{
    /// <summary>The stage attempts that <paramref name="events"/> complete, in order, each once.</summary>
    public static IReadOnlyList<(int StageId, int AttemptId)> StagesCompletedBy(IReadOnlyList<AcceptedEvent> events)
    {
        var stages = new List<(int, int)>();
        foreach (var accepted in events)
        {
            if (!CompletedStages.IsStageCompleted(accepted.EventType) || CompletedStages.Of(accepted.Json) is not { } stage || stages.Contains(stage)) continue;
            stages.Add(stage);
        }
        return stages;
    }

    /// <summary>Keeps the summaries of <paramref name="stages"/> of the run; never throws but for cancellation.</summary>
    public async Task KeepAsync(long runPk, IReadOnlyList<(int StageId, int AttemptId)> stages, CancellationToken cancellationToken)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var rows = await api.KeepStageSummariesAsync(runPk, stages, cancellationToken);
            logger.LogDebug("Kept {Rows} task summaries of {Stages} completed stage attempt(s) of run {RunPk} in {Milliseconds:0} ms",
                rows, stages.Count, runPk, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not keep the task summaries of {Stages} completed stage attempt(s) of run {RunPk}; the first read of each computes them",
                stages.Count, runPk);
        }
    }
}
