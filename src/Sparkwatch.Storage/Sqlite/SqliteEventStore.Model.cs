using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sparkwatch.Model;

namespace Sparkwatch.Storage.Sqlite;

// The run model's read side over the model tables (written by the appender, see SqliteModelRows).
public sealed partial class SqliteEventStore : IRunModelReader
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelRun>> FindRunsAsync(string? appId, string? jobName, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT r.run_pk, j.job_name, r.run_id, r.app_id FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
            WHERE r.app_id IS NOT NULL AND ($app IS NULL OR r.app_id = $app) AND ($job IS NULL OR j.job_name = $job)
            ORDER BY r.sort_time DESC, r.run_pk DESC
            """, ("$app", appId), ("$job", jobName));
        using var reader = command.ExecuteReader();
        var runs = new List<ModelRun>();
        while (reader.Read()) runs.Add(new ModelRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return Task.FromResult<IReadOnlyList<ModelRun>>(runs);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RunByEnd>> RunsByLatestEndAsync(string? jobName, RunByEnd? after, int limit, CancellationToken cancellationToken)
    {
        using var connection = Open();
        return ModelQueries.WalkAsync((sql, parameters) =>
        {
            using var command = Command(connection, sql, parameters);
            using var reader = command.ExecuteReader();
            var runs = new List<RunByEnd>();
            while (reader.Read())
            {
                runs.Add(new RunByEnd(new ModelRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)), reader.GetInt64(4), reader.GetInt64(5)));
            }
            return Task.FromResult(runs);
        }, jobName, after, limit);
    }

    /// <inheritdoc/>
    public Task<IReadOnlySet<string>> SharedAppIdsAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, ModelQueries.SharedAppIds("SELECT value FROM json_each($ids)"), ("$ids", JsonSerializer.Serialize(appIds)));
        using var reader = command.ExecuteReader();
        var shared = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) shared.Add(reader.GetString(0));
        return Task.FromResult<IReadOnlySet<string>>(shared);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<(long RunPk, int AttemptNo, byte[] Document)>> ListOfRunsAsync(IReadOnlyCollection<long> runPks, ModelKind kind, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, ModelQueries.RowsOfRuns("SELECT value FROM json_each($runs)"), ("$runs", JsonSerializer.Serialize(runPks)), ("$k", (int)kind));
        using var reader = command.ExecuteReader();
        var rows = new List<(long, int, byte[])>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetInt32(1), (byte[])reader.GetValue(2)));
        return Task.FromResult<IReadOnlyList<(long, int, byte[])>>(rows);
    }

    /// <inheritdoc/>
    public Task<byte[]?> ReadAsync(ModelKey key, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT doc FROM model_rows WHERE run_pk = $r AND attempt_no = $a AND kind = $k AND id = $i",
            ("$r", key.RunPk), ("$a", key.AttemptNo), ("$k", (int)key.Kind), ("$i", key.Id));
        return Task.FromResult(command.ExecuteScalar() as byte[]);
    }

    /// <inheritdoc/>
    public Task<bool> ExistsAsync(ModelKey key, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, ModelQueries.RowExists, ("$r", key.RunPk), ("$a", key.AttemptNo), ("$k", (int)key.Kind), ("$i", key.Id));
        return Task.FromResult(command.ExecuteScalar() is not null);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<(int AttemptNo, string Id, byte[] Document)>> ListAsync(long runPk, int attemptNo, ModelKind kind, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT attempt_no, id, doc FROM model_rows WHERE run_pk = $r AND ($a < 0 OR attempt_no = $a) AND kind = $k ORDER BY attempt_no, id
            """, ("$r", runPk), ("$a", attemptNo), ("$k", (int)kind));
        using var reader = command.ExecuteReader();
        var rows = new List<(int, string, byte[])>();
        while (reader.Read()) rows.Add((reader.GetInt32(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        return Task.FromResult<IReadOnlyList<(int, string, byte[])>>(rows);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<byte[]>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, ModelQueries.TaskPage(query, i => $"$s{i}"),
            [("$r", query.RunPk), ("$a", query.AttemptNo), ("$st", query.StageId), ("$sa", query.StageAttemptId), ("$limit", query.Length), ("$offset", query.Offset),
             .. query.Statuses.Select((s, i) => ($"$s{i}", (object?)s))]);
        using var reader = command.ExecuteReader();
        var docs = new List<byte[]>();
        while (reader.Read()) docs.Add((byte[])reader.GetValue(0));
        return Task.FromResult<IReadOnlyList<byte[]>>(docs);
    }

    /// <inheritdoc/>
    public async Task<long[][]?> TaskQuantilesAsync(long runPk, int attemptNo, int stageId, int stageAttemptId, double[] quantiles, int[] metrics, long memoryBytes,
        CancellationToken cancellationToken)
    {
        using var connection = Open();
        // A deferred transaction reads one snapshot (WAL): the count and every scan see the same tasks. The scans step
        // through SQLite's C API: the ADO.NET reader costs several times more per value on 38 columns × every task.
        using var transaction = connection.BeginTransaction(deferred: true);
        return await TaskQuantileScan.ComputeAsync((sql, onRow, _) =>
        {
            using var statement = new RawStatement(connection.Handle!, sql);
            statement.Bind("$r", runPk).Bind("$a", attemptNo).Bind("$st", stageId).Bind("$sa", stageAttemptId);
            Func<int, long> column = statement.Int64;
            while (statement.Step() && onRow(column)) { }
            return Task.CompletedTask;
        }, quantiles, metrics, memoryBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public Task WriteCachedAsync(IReadOnlyList<(ModelKey Key, byte[] Document)> rows, CancellationToken cancellationToken) => WriteAsync(writer =>
    {
        using var transaction = writer.BeginTransaction(deferred: false);
        foreach (var (key, document) in rows)
        {
            Execute(writer, ModelQueries.UpsertCachedRow, ("$r", key.RunPk), ("$a", key.AttemptNo), ("$k", (int)key.Kind), ("$i", key.Id), ("$d", document));
        }
        transaction.Commit();
        return 0;
    }, cancellationToken);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
