using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>Writes a SQL execution in the JSON of Spark's <c>/api/v1/applications/{app}/sql</c> (ExecutionData).</summary>
internal static class SparkSqlJson
{
    /// <summary>
    /// The execution; <paramref name="jobStatuses"/> gives each job's status (RUNNING, SUCCEEDED, FAILED) from the job
    /// rows, <paramref name="metricValues"/> the printed value of each metric (by accumulator id) of its plan's nodes
    /// (given with <paramref name="graph"/> when <c>details</c> is asked, else <c>null</c>).
    /// </summary>
    public static void Execution(Utf8JsonWriter w, SqlExecutionRow e, IReadOnlyDictionary<int, string> jobStatuses, SqlPlanGraph? graph,
        IReadOnlyDictionary<long, string> metricValues, bool planDescription, long now)
    {
        var jobs = e.JobIds.Select(id => (Id: id, Status: jobStatuses.GetValueOrDefault(id, "RUNNING"))).ToList();
        w.WriteStartObject();
        w.WriteNumber("id", e.Id);
        w.WriteString("status", Status(e, jobs.Any(j => j.Status == "FAILED")));
        w.WriteString("description", e.Description);
        w.WriteString("planDescription", planDescription ? e.PhysicalPlanDescription : "");
        w.Date("submissionTime", e.SubmissionTime);
        w.WriteNumber("duration", (e.CompletionTime ?? now) - e.SubmissionTime);
        w.Ints("runningJobIds", jobs.Where(j => j.Status == "RUNNING").Select(j => j.Id));
        w.Ints("successJobIds", jobs.Where(j => j.Status == "SUCCEEDED").Select(j => j.Id));
        w.Ints("failedJobIds", jobs.Where(j => j.Status == "FAILED").Select(j => j.Id));
        graph ??= new SqlPlanGraph();
        w.WriteStartArray("nodes");
        foreach (var (id, name, codegenId, metrics) in graph.Nodes.OrderByDescending(n => n.Id))
        {
            w.WriteStartObject();
            w.WriteNumber("nodeId", id);
            w.WriteString("nodeName", name);
            if (codegenId is { } c) w.WriteNumber("wholeStageCodegenId", c);
            // Spark lists only the metrics that have a value, by the plan's order.
            w.WriteStartArray("metrics");
            foreach (var metric in metrics)
            {
                if (!metricValues.TryGetValue(metric.AccumulatorId, out var value)) continue;
                w.WriteStartObject();
                w.WriteString("name", metric.Name.Trim());
                w.WriteString("value", value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("edges");
        foreach (var (from, to) in graph.Edges)
        {
            w.WriteStartObject();
            w.WriteNumber("fromId", from);
            w.WriteNumber("toId", to);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.OptionalString("queryId", e.QueryId);
        w.OptionalString("errorMessage", e.ErrorMessage);
        w.WriteNumber("rootExecutionId", e.RootExecutionId);
        w.WriteEndObject();
    }

    // Spark's execution status: an ended execution failed when it carries an error; a running one fails with its first failed job.
    private static string Status(SqlExecutionRow e, bool anyJobFailed) => e.CompletionTime is null
        ? anyJobFailed ? "FAILED" : "RUNNING"
        : e.ErrorMessage is null ? "COMPLETED" : "FAILED";
}
