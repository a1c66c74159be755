using System.Globalization;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

// SQL executions (Spark's SqlResource).
public sealed partial class SparkApi
{
    /// <summary>What a SQL request asks for: the plan graph (<c>details</c>) and the plan's text (<c>planDescription</c>).</summary>
    /// <param name="Details">Include nodes and edges.</param>
    /// <param name="PlanDescription">Include the physical plan's description.</param>
    public sealed record SqlOptions(bool Details, bool PlanDescription);

    /// <summary><c>sql</c>: executions by id; <paramref name="length"/> ≤ 0 lists all from <paramref name="offset"/>.</summary>
    public async Task<byte[]> SqlExecutionsAsync(AppScope scope, SqlOptions options, int offset, int length, CancellationToken ct)
    {
        var executions = (await List<SqlExecutionRow>(scope, ModelKind.SqlExecution, ct)).Where(e => e.Started).OrderBy(e => e.Id)
            .Skip(Math.Max(0, offset)).Take(length <= 0 ? int.MaxValue : length).ToList();
        var jobs = executions.Count == 0 ? new Dictionary<int, string>() : await JobStatuses(scope, ct);
        var metrics = options.Details && executions.Count > 0 ? await SqlMetricRows(scope, ct) : null;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var e in executions) WriteExecution(w, e, jobs, metrics, options.PlanDescription, now);
            w.WriteEndArray();
        });
    }

    /// <summary><c>sql/{id}</c>, or <c>null</c> for an unknown execution.</summary>
    public async Task<byte[]?> SqlExecutionAsync(AppScope scope, long executionId, SqlOptions options, CancellationToken ct)
    {
        if (await Find<SqlExecutionRow>(scope, ModelKind.SqlExecution, executionId.ToString(CultureInfo.InvariantCulture), ct) is not { Started: true } e) return null;
        var jobs = await JobStatuses(scope, ct);
        var metrics = options.Details ? await SqlMetricRows(scope, ct, e.Id) : null;
        return Json(w => WriteExecution(w, e, jobs, metrics, options.PlanDescription, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    // The SQL metric rows of the attempt (of one execution when given): stage rows by execution, driver rows by execution.
    private async Task<SqlMetricRowSet> SqlMetricRows(
        AppScope scope, CancellationToken ct, long? executionId = null)
    {
        var stages = (await List<SqlStageMetricsRow>(scope, ModelKind.SqlStageMetrics, ct)).ToLookup(s => s.ExecutionId);
        var driver = new Dictionary<long, SqlDriverMetricsRow>();
        if (executionId is { } id)
        {
            if (await Find<SqlDriverMetricsRow>(scope, ModelKind.SqlDriverMetrics, id.ToString(CultureInfo.InvariantCulture), ct) is { } row) driver[id] = row;
        }
        else
        {
            foreach (var (_, rowId, doc) in await reader.ListAsync(scope.RunPk, scope.AttemptNo, ModelKind.SqlDriverMetrics, ct))
            {
                if (long.TryParse(rowId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var key)) driver[key] = Read<SqlDriverMetricsRow>(doc);
            }
        }
        return new SqlMetricRowSet(stages, driver);
    }

    private static void WriteExecution(System.Text.Json.Utf8JsonWriter w, SqlExecutionRow e, Dictionary<int, string> jobs,
        SqlMetricRowSet? metrics, bool planDescription, long now)
    {
        if (metrics is not { } m)
        {
            SparkSqlJson.Execution(w, e, jobs, null, new Dictionary<long, string>(), planDescription, now);
            return;
        }
        var graph = SqlPlanGraph.Build(e.PlanJson);
        var values = SqlMetricValues.Of(graph.Nodes.SelectMany(n => n.Metrics), [.. m.Stages[e.Id]], m.Driver.GetValueOrDefault(e.Id));
        SparkSqlJson.Execution(w, e, jobs, graph, values, planDescription, now);
    }

    private async Task<Dictionary<int, string>> JobStatuses(AppScope scope, CancellationToken ct) =>
        (await List<JobRow>(scope, ModelKind.Job, ct)).ToDictionary(j => j.JobId, j => j.Status);

    // An attempt's SQL metric rows: stage rows by execution, driver rows by execution id.
    private sealed record SqlMetricRowSet(ILookup<long, SqlStageMetricsRow> Stages, Dictionary<long, SqlDriverMetricsRow> Driver);
}
