using Sparkwatch.Model;

namespace Sparkwatch.Storage;

/// <summary>
/// The run model's tables, one migration per engine: <c>model_rows</c> holds each entity (attempt, job, stage attempt,
/// executor, environment) as a JSON document under its key; <c>model_tasks</c> holds one row per task attempt with the
/// columns task lists sort on and one column per quantile metric.
/// </summary>
public static class ModelSchema
{
    private static string QuantileColumns(string type) =>
        string.Join(", ", Enumerable.Range(0, TaskQuantileMetrics.Names.Length).Select(i => $"{TaskQuantileMetrics.Column(i)} {type} NOT NULL"));

    /// <summary>The SQLite migration.</summary>
    public static readonly string Sqlite = Tables(integer: "INTEGER", bigint: "INTEGER", text: "TEXT", blob: "BLOB", rowsSuffix: " WITHOUT ROWID");

    /// <summary>The PostgreSQL migration.</summary>
    public static readonly string Postgres = Tables(integer: "integer", bigint: "bigint", text: "text COLLATE \"C\"", blob: "bytea", rowsSuffix: "");

    private static string Tables(string integer, string bigint, string text, string blob, string rowsSuffix) => $"""
        CREATE TABLE model_rows (
            run_pk     {bigint} NOT NULL,
            attempt_no {integer} NOT NULL,
            kind       {integer} NOT NULL,
            id         {text} NOT NULL,
            doc        {blob} NOT NULL,
            PRIMARY KEY (run_pk, attempt_no, kind, id)){rowsSuffix};
        CREATE TABLE model_tasks (
            run_pk        {bigint} NOT NULL,
            attempt_no    {integer} NOT NULL,
            task_id       {bigint} NOT NULL,
            stage_id      {integer} NOT NULL,
            stage_attempt {integer} NOT NULL,
            task_index    {integer} NOT NULL,
            status        {text} NOT NULL,
            run_time_key  {bigint} NOT NULL,
            {QuantileColumns(bigint)},
            doc           {blob} NOT NULL,
            PRIMARY KEY (run_pk, attempt_no, task_id));
        CREATE INDEX model_tasks_by_stage ON model_tasks (run_pk, attempt_no, stage_id, stage_attempt, task_id);
        CREATE INDEX model_tasks_by_runtime ON model_tasks (run_pk, attempt_no, stage_id, stage_attempt, run_time_key, task_id);
        CREATE INDEX runs_by_app ON runs (app_id);
        """;

    /// <summary>The applications list walks runs by their latest application end (both engines).</summary>
    public const string EndIndex = "CREATE INDEX IF NOT EXISTS run_ends_by_time ON run_ends (end_time, run_pk);";

    /// <summary>The upsert of a task row; parameters: run, attempt, task, stage, stage attempt, index, status, run-time key, q0…, doc.</summary>
    public static string TaskUpsert(Func<int, string> parameter)
    {
        var quantiles = Enumerable.Range(0, TaskQuantileMetrics.Names.Length).Select(TaskQuantileMetrics.Column).ToArray();
        string[] columns = ["run_pk", "attempt_no", "task_id", "stage_id", "stage_attempt", "task_index", "status", "run_time_key", .. quantiles, "doc"];
        var values = string.Join(", ", columns.Select((_, i) => parameter(i + 1)));
        var updates = string.Join(", ", columns.Skip(3).Select(c => $"{c} = excluded.{c}"));
        return $"INSERT INTO model_tasks ({string.Join(", ", columns)}) VALUES ({values}) ON CONFLICT (run_pk, attempt_no, task_id) DO UPDATE SET {updates}";
    }
}
