using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Job start and end (Spark's onJobStart / onJobEnd).</summary>
internal static class JobProjection
{
    public static void Start(RunScope run, JsonElement e)
    {
        var job = run.Job(e.Int("Job ID"));
        var infos = e.Items("Stage Infos").ToList();
        job.Name = infos.OrderBy(i => i.Int("Stage ID")).Select(i => i.Str("Stage Name")).LastOrDefault() ?? "";
        job.Description = StageInfoReader.Property(e, "spark.job.description");
        job.JobGroup = StageInfoReader.Property(e, "spark.jobGroup.id");
        job.JobTags = [.. (StageInfoReader.Property(e, "spark.job.tags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
        job.SubmissionTime = e.LongOrNull("Submission Time") is { } t && t > 0 ? t : null;
        job.StageIds = [.. e.Items("Stage IDs").Select(s => (int)(s.AsLong() ?? 0))];
        // A potential over-estimate: stages already computed are skipped later. Absurd counts saturate instead of
        // overflowing (which would drop the whole job start).
        job.NumTasks = (int)Math.Min(int.MaxValue, infos.Where(i => i.LongOrNull("Completion Time") is null).Sum(i => (long)i.Int("Number of Tasks")));
        job.Started = true;
        foreach (var info in infos)
        {
            var (stageId, attemptId) = StageInfoReader.Id(info);
            var stage = run.Stage(stageId, attemptId);
            if (!stage.Submitted) StageInfoReader.Apply(stage, info);
            job.StageAttempts.Add([stageId, attemptId]);
            // Tasks that arrived before their job (out-of-order payloads) count for it now.
            if (stage.JobIds.Add(job.JobId))
            {
                job.ActiveTasks += stage.ActiveTasks;
                job.CompletedTasks += stage.CompletedTasks;
                job.FailedTasks += stage.FailedTasks;
                job.KilledTasks += stage.KilledTasks;
                job.CompletedIndices += stage.CompletedIndices;
            }
        }
    }

    public static void End(RunScope run, JsonElement e)
    {
        var job = run.Job(e.Int("Job ID"));
        foreach (var id in job.StageAttempts)
        {
            if (run.FindStage(id[0], id[1]) is { Status: "PENDING" } stage)
            {
                stage.Status = "SKIPPED";
                job.SkippedStages.Add(stage.StageId);
                job.SkippedTasks += stage.NumTasks;
                job.ActiveStages -= 1;
            }
        }
        job.Status = e.Prop("Job Result").Str("Result") == "JobSucceeded" ? "SUCCEEDED" : "FAILED";
        job.CompletionTime = e.LongOrNull("Completion Time") is { } t && t > 0 ? t : null;
    }
}
