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
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var e in executions) SparkSqlJson.Execution(w, e, jobs, options.Details, options.PlanDescription, now);
            w.WriteEndArray();
        });
    }

    /// <summary><c>sql/{id}</c>, or <c>null</c> for an unknown execution.</summary>
    public async Task<byte[]?> SqlExecutionAsync(AppScope scope, long executionId, SqlOptions options, CancellationToken ct)
    {
        if (await Find<SqlExecutionRow>(scope, ModelKind.SqlExecution, executionId.ToString(CultureInfo.InvariantCulture), ct) is not { Started: true } e) return null;
        var jobs = await JobStatuses(scope, ct);
        return Json(w => SparkSqlJson.Execution(w, e, jobs, options.Details, options.PlanDescription, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    private async Task<Dictionary<int, string>> JobStatuses(AppScope scope, CancellationToken ct) =>
        (await List<JobRow>(scope, ModelKind.Job, ct)).ToDictionary(j => j.JobId, j => j.Status);
}
