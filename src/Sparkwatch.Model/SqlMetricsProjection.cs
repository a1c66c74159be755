using System.Globalization;
using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>
/// SQL metric values (Spark's SQLAppStatusListener): the jobs of an execution link their stages to it, successful
/// tasks fold their SQL accumulator updates into their stage's <see cref="SqlStageMetricsRow"/>, and the driver's
/// updates are kept per execution. Reads aggregate and format them (<see cref="Api.SqlMetricValues"/>). One row
/// touched per task event, and only for tasks that report SQL metrics.
/// </summary>
internal static class SqlMetricsProjection
{
    /// <summary>The event the driver posts for metrics it updates itself.</summary>
    public const string DriverAccumUpdates = "org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates";

    /// <summary>A job of a SQL execution: its stages' SQL metrics belong to the execution.</summary>
    public static void JobStarted(RunScope run, JsonElement e)
    {
        if (!long.TryParse(StageInfoReader.Property(e, "spark.sql.execution.id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var executionId)) return;
        foreach (var info in e.Items("Stage Infos"))
        {
            var stage = Stage(run, info.Int("Stage ID"));
            stage.ExecutionId = executionId;
            stage.NumTasks = info.Int("Number of Tasks", stage.NumTasks);
        }
    }

    /// <summary>A new attempt of a stage starts its SQL metrics afresh (as Spark does).</summary>
    public static void StageSubmitted(RunScope run, JsonElement e)
    {
        var (stageId, attemptId) = StageInfoReader.Id(e.Prop("Stage Info"));
        if (run.Session.FindForUpdate<SqlStageMetricsRow>(Key(run, stageId)) is { } stage) MoveToAttempt(stage, attemptId);
    }

    /// <summary>
    /// Folds a successful task's SQL accumulator updates into its stage. Call before <see cref="TaskProjection.End"/>:
    /// an index that already succeeded in this stage attempt (a redelivered event, a retry or speculative copy) adds nothing.
    /// </summary>
    public static void TaskEnded(RunScope run, JsonElement e)
    {
        var info = e.Prop("Task Info");
        List<(long Id, long Value)>? updates = null;
        foreach (var accumulable in info.Items("Accumulables"))
        {
            if (SqlUpdate(accumulable) is { } update) (updates ??= []).Add(update);
        }
        if (updates is null || (e.Prop("Task End Reason").Str("Reason") ?? "Success") != "Success" || info.Bool("Failed") || info.Bool("Killed")) return;
        // The first success of an index counts; TaskProjection.End marks it on the stage attempt right after, so a
        // redelivered event, a retried or a speculative copy of a done index counts no more.
        var (stageId, attemptId, index) = (e.Int("Stage ID"), e.Int("Stage Attempt ID"), info.Int("Index"));
        if (RunScope.HasBit(run.Stage(stageId, attemptId).CompletedIndexBits, index)) return;
        var taskId = info.Long("Task ID");

        var stage = Stage(run, stageId);
        if (attemptId < stage.StageAttemptId) return; // A zombie task of an attempt Spark no longer tracks.
        MoveToAttempt(stage, attemptId);
        foreach (var (id, value) in updates)
        {
            if (!stage.Metrics.TryGetValue(id, out var metric)) stage.Metrics[id] = metric = new SqlMetricAggregate();
            metric.Add(value, taskId);
        }
    }

    /// <summary>The driver's values for metrics of an execution; a metric posted again keeps its latest value.</summary>
    public static void DriverUpdates(RunScope run, JsonElement e)
    {
        var executionId = e.Long("executionId");
        var row = run.Session.Get(run.Key(ModelKind.SqlDriverMetrics, executionId.ToString(CultureInfo.InvariantCulture)), () => new SqlDriverMetricsRow());
        foreach (var pair in e.Items("accumUpdates"))
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2) continue;
            if (pair[0].AsLong() is { } id && pair[1].AsLong() is { } value) row.Values[id] = value;
        }
    }

    // An accumulable's id and update when it is a SQLMetric's. Every task end's accumulables are looked at, so the
    // common case (not SQL) is a single field lookup.
    private static (long Id, long Value)? SqlUpdate(JsonElement accumulable)
    {
        if (!StageInfoReader.IsSqlMetric(accumulable)) return null;
        return accumulable.TryGetProperty("ID"u8, out var id) && id.AsLong() is { } i && accumulable.TryGetProperty("Update"u8, out var update) && update.AsLong() is { } v
            ? (i, v) : null;
    }

    private static void MoveToAttempt(SqlStageMetricsRow stage, int attemptId)
    {
        if (attemptId <= stage.StageAttemptId) return;
        stage.StageAttemptId = attemptId;
        stage.Metrics.Clear();
    }

    private static SqlStageMetricsRow Stage(RunScope run, int stageId) =>
        run.Session.Get(Key(run, stageId), () => new SqlStageMetricsRow { StageId = stageId });

    private static ModelKey Key(RunScope run, int stageId) => run.Key(ModelKind.SqlStageMetrics, stageId.ToString(CultureInfo.InvariantCulture));
}
