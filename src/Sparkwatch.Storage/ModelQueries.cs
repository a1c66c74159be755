using Sparkwatch.Model;

namespace Sparkwatch.Storage;

/// <summary>
/// The model's read statements, shared by both engines (parameters <c>$r</c> run, <c>$a</c> attempt, <c>$st</c> stage,
/// <c>$sa</c> stage attempt; each engine spells them its own way via <c>$</c> → <c>@</c> where needed).
/// </summary>
public static class ModelQueries
{
    private const string StageTasks = "run_pk = $r AND attempt_no = $a AND stage_id = $st AND stage_attempt = $sa";

    /// <summary>
    /// The applications list's walk (<c>IRunModelReader.RunsByLatestEndAsync</c>): runs by their latest application end
    /// (index <c>run_ends_by_time</c>, a partial sort only among equal ends), then runs without an end by start; after the
    /// keyset <c>$bound, $st, $pk</c> (<c>$first</c> true for the first page).
    /// </summary>
    public const string RunsWithEndAfter = """
        SELECT r.run_pk, j.job_name, r.run_id, r.app_id, e.end_time, r.sort_time
        FROM run_ends e JOIN runs r ON r.run_pk = e.run_pk JOIN jobs j ON j.job_pk = r.job_pk
        WHERE r.app_id IS NOT NULL AND (CAST($job AS TEXT) IS NULL OR j.job_name = $job)
          AND e.end_time = (SELECT max(m.end_time) FROM run_ends m WHERE m.run_pk = e.run_pk)
          AND ($first OR e.end_time < $bound OR (e.end_time = $bound AND (r.sort_time < $st OR (r.sort_time = $st AND r.run_pk < $pk))))
        ORDER BY e.end_time DESC, r.sort_time DESC, r.run_pk DESC LIMIT $n
        """;

    /// <summary>The walk's second part: runs without an application end, newest first, after the keyset <c>$st, $pk</c>.</summary>
    public const string RunsWithoutEndAfter = """
        SELECT r.run_pk, j.job_name, r.run_id, r.app_id, CAST(-1 AS BIGINT), r.sort_time
        FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
        WHERE r.app_id IS NOT NULL AND (CAST($job AS TEXT) IS NULL OR j.job_name = $job) AND NOT EXISTS (SELECT 1 FROM run_ends m WHERE m.run_pk = r.run_pk)
          AND ($first OR r.sort_time < $st OR (r.sort_time = $st AND r.run_pk < $pk))
        ORDER BY r.sort_time DESC, r.run_pk DESC LIMIT $n
        """;

    /// <summary>Of the application ids in the set <paramref name="ids"/>, those more than one run carries.</summary>
    public static string SharedAppIds(string ids) => $"SELECT app_id FROM runs WHERE app_id IN ({ids}) GROUP BY app_id HAVING count(*) > 1";

    /// <summary>Rows of a kind of the runs in the set <paramref name="runs"/>.</summary>
    public static string RowsOfRuns(string runs) => $"SELECT run_pk, attempt_no, doc FROM model_rows WHERE run_pk IN ({runs}) AND kind = $k ORDER BY run_pk, attempt_no, id";

    /// <summary>
    /// The next <paramref name="limit"/> runs of the applications walk after <paramref name="after"/>: runs with an end,
    /// then (once those are done) runs without one; <paramref name="query"/> runs one of the two statements with its parameters.
    /// </summary>
    public static async Task<IReadOnlyList<RunByEnd>> WalkAsync(Func<string, (string Name, object? Value)[], Task<List<RunByEnd>>> query,
        string? jobName, RunByEnd? after, int limit)
    {
        (string, object?)[] Parameters(RunByEnd? from, int n) =>
            [("$job", jobName), ("$first", from is null), ("$bound", from?.EndBound ?? 0L), ("$st", from?.SortTime ?? 0L), ("$pk", from?.Run.RunPk ?? 0L), ("$n", n)];
        var withoutEnd = after is { EndBound: < 0 };
        var runs = withoutEnd ? [] : await query(RunsWithEndAfter, Parameters(after, limit));
        if (runs.Count < limit) runs.AddRange(await query(RunsWithoutEndAfter, Parameters(withoutEnd ? after : null, limit - runs.Count)));
        return runs;
    }

    /// <summary>Whether a row exists (its key: <c>$r</c>, <c>$a</c>, <c>$k</c>, <c>$i</c>), without its document.</summary>
    public const string RowExists = "SELECT 1 FROM model_rows WHERE run_pk = $r AND attempt_no = $a AND kind = $k AND id = $i";

    /// <summary>Writes a row a read computed (a cache row) over the one under its key.</summary>
    public const string UpsertCachedRow = """
        INSERT INTO model_rows (run_pk, attempt_no, kind, id, doc) VALUES ($r, $a, $k, $i, $d)
        ON CONFLICT (run_pk, attempt_no, kind, id) DO UPDATE SET doc = excluded.doc
        """;

    /// <summary>Successful tasks of a stage attempt.</summary>
    public const string CountSuccessful = $"SELECT count(*) FROM model_tasks WHERE {StageTasks} AND status = 'SUCCESS'";

    /// <summary>A page of tasks: filtered by status, ordered as Spark's indexes order them (ties by task id, reversed with the order).</summary>
    public static string TaskPage(TaskQuery query, Func<int, string> statusParameter)
    {
        var statuses = query.Statuses.Count == 0 ? "" : $" AND status IN ({string.Join(", ", query.Statuses.Select((_, i) => statusParameter(i)))})";
        var order = query.Order switch
        {
            TaskOrder.IncreasingRuntime => "run_time_key, task_id",
            TaskOrder.DecreasingRuntime => "run_time_key DESC, task_id DESC",
            _ => "task_id",
        };
        return $"SELECT doc FROM model_tasks WHERE {StageTasks}{statuses} ORDER BY {order} LIMIT $limit OFFSET $offset";
    }

    /// <summary>One quantile metric's values over the successful tasks of a stage attempt, ascending.</summary>
    public static string QuantileScan(int metric)
    {
        var column = TaskQuantileMetrics.Column(metric);
        return $"SELECT {column} FROM model_tasks WHERE {StageTasks} AND status = 'SUCCESS' ORDER BY {column}";
    }

    /// <summary>Some quantile metrics' values (in this order) of the successful tasks of a stage attempt, unordered: a narrow read, never the task documents.</summary>
    public static string QuantileColumns(int[] metrics) =>
        $"SELECT {string.Join(", ", metrics.Select(TaskQuantileMetrics.Column))} FROM model_tasks WHERE {StageTasks} AND status = 'SUCCESS'";
}
