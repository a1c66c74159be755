using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Stage submitted, completed and per-stage executor metrics (Spark's onStageSubmitted / onStageCompleted).</summary>
internal static class StageProjection
{
    private static readonly string[] FinalStatuses = ["COMPLETE", "FAILED", "SKIPPED"];

    public static void Submitted(RunScope run, JsonElement e)
    {
        var info = e.Prop("Stage Info");
        var (stageId, attemptId) = StageInfoReader.Id(info);
        var stage = run.Stage(stageId, attemptId);
        StageInfoReader.Apply(stage, info);
        stage.Submitted = true;
        // A completion that arrived first wins over the submission.
        if (!FinalStatuses.Contains(stage.Status)) stage.Status = "ACTIVE";
        stage.SchedulingPool = StageInfoReader.Property(e, "spark.scheduler.pool") ?? "default";
        stage.Description = StageInfoReader.Property(e, "spark.job.description");
        foreach (var jobId in stage.JobIds)
        {
            if (run.FindJob(jobId) is not { Status: "RUNNING" } job) continue;
            job.CompletedStages.Remove(stageId);
            job.ActiveStages += 1;
        }
    }

    public static void Completed(RunScope run, JsonElement e)
    {
        var info = e.Prop("Stage Info");
        var (stageId, attemptId) = StageInfoReader.Id(info);
        var stage = run.Stage(stageId, attemptId);
        StageInfoReader.Apply(stage, info);
        stage.Status = stage.FailureReason is not null ? "FAILED" : stage.SubmissionTime is not null ? "COMPLETE" : "SKIPPED";
        foreach (var jobId in stage.JobIds)
        {
            if (run.FindJob(jobId) is not { } job) continue;
            switch (stage.Status)
            {
                case "COMPLETE": job.CompletedStages.Add(stageId); break;
                case "SKIPPED":
                    job.SkippedStages.Add(stageId);
                    job.SkippedTasks += stage.NumTasks;
                    break;
                default: job.FailedStages += 1; break;
            }
            job.ActiveStages -= 1;
        }
        foreach (var (executorId, summary) in stage.Executors)
        {
            if (summary.IsExcluded) run.FindExecutor(executorId)?.ExcludedInStages.Remove(stageId);
        }
    }

    public static void ExecutorMetrics(RunScope run, JsonElement e)
    {
        var executorId = e.ExecutorId();
        var metrics = StageInfoReader.ExecutorMetrics(e.Prop("Executor Metrics"));
        run.FindExecutor(executorId)?.Peak.Update(metrics);
        var stage = run.Stage(e.Int("Stage ID"), e.Int("Stage Attempt ID"));
        stage.Peak.Update(metrics);
        ExecutorSummary(stage, executorId).Peak.Update(metrics);
    }

    public static ExecutorStageSummaryRow ExecutorSummary(StageRow stage, string executorId)
    {
        if (!stage.Executors.TryGetValue(executorId, out var summary)) stage.Executors[executorId] = summary = new ExecutorStageSummaryRow();
        return summary;
    }
}
