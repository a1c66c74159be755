using System.Globalization;
using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>SQL executions (Spark's SQLAppStatusListener): start, end, adaptive plan updates and the jobs they run.</summary>
internal static class SqlProjection
{
    private const string Prefix = "org.apache.spark.sql.execution.ui.";

    /// <summary>The event names this projection handles, as they appear in event logs.</summary>
    public const string Start = Prefix + "SparkListenerSQLExecutionStart", End = Prefix + "SparkListenerSQLExecutionEnd",
        AdaptiveUpdate = Prefix + "SparkListenerSQLAdaptiveExecutionUpdate";

    public static void Started(RunScope run, JsonElement e)
    {
        var exec = Execution(run, e.Long("executionId"));
        exec.Started = true;
        exec.RootExecutionId = e.LongOrNull("rootExecutionId") ?? exec.Id;
        exec.QueryId = e.Str("queryId");
        exec.Description = e.Str("description") ?? "";
        exec.PhysicalPlanDescription = e.Str("physicalPlanDescription") ?? "";
        exec.PlanJson = Plan(e) ?? exec.PlanJson;
        exec.SubmissionTime = e.Long("time");
    }

    public static void Ended(RunScope run, JsonElement e)
    {
        var exec = Execution(run, e.Long("executionId"));
        exec.CompletionTime = e.Long("time");
        exec.ErrorMessage = e.Str("errorMessage");
    }

    /// <summary>Adaptive query execution replaced the plan (Spark's onAdaptiveExecutionUpdate).</summary>
    public static void PlanUpdated(RunScope run, JsonElement e)
    {
        var exec = Execution(run, e.Long("executionId"));
        exec.PhysicalPlanDescription = e.Str("physicalPlanDescription") ?? exec.PhysicalPlanDescription;
        exec.PlanJson = Plan(e) ?? exec.PlanJson;
    }

    /// <summary>A job started by a SQL execution (its <c>spark.sql.execution.id</c> property) is one of the execution's jobs.</summary>
    public static void JobStarted(RunScope run, JsonElement e)
    {
        if (!long.TryParse(StageInfoReader.Property(e, "spark.sql.execution.id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var executionId)) return;
        var exec = Execution(run, executionId);
        var jobId = e.Int("Job ID");
        if (!exec.JobIds.Contains(jobId)) exec.JobIds.Add(jobId);
    }

    private static string? Plan(JsonElement e) => e.Prop("sparkPlanInfo") is { ValueKind: JsonValueKind.Object } plan ? plan.GetRawText() : null;

    private static SqlExecutionRow Execution(RunScope run, long id) =>
        run.Session.Get(run.Key(ModelKind.SqlExecution, id.ToString(CultureInfo.InvariantCulture)), () => new SqlExecutionRow { Id = id });
}
