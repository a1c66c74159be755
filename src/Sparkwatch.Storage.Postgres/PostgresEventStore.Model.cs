using Npgsql;
using Sparkwatch.Model;

namespace Sparkwatch.Storage.Postgres;

// The run model's read side over the model tables (written by the appender, see PostgresModelRows).
public sealed partial class PostgresEventStore : IRunModelReader
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<ModelRun>> FindRunsAsync(string? appId, string? jobName, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, """
            SELECT r.run_pk, j.job_name, r.run_id, r.app_id FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
            WHERE r.app_id IS NOT NULL AND ($app::text IS NULL OR r.app_id = $app) AND ($job::text IS NULL OR j.job_name = $job)
            ORDER BY r.sort_time DESC, r.run_pk DESC
            """, ("app", appId), ("job", jobName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<ModelRun>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(new ModelRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return runs;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunByEnd>> RunsByLatestEndAsync(string? jobName, RunByEnd? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ModelQueries.WalkAsync(async (sql, parameters) =>
        {
            await using var command = Named(connection, sql, [.. parameters.Select(p => (p.Name.TrimStart('$'), p.Value))]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var runs = new List<RunByEnd>();
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(new RunByEnd(new ModelRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)), reader.GetInt64(4), reader.GetInt64(5)));
            }
            return runs;
        }, jobName, after, limit);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlySet<string>> SharedAppIdsAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, ModelQueries.SharedAppIds("SELECT unnest($ids)"), ("ids", appIds.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var shared = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) shared.Add(reader.GetString(0));
        return shared;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(long RunPk, int AttemptNo, byte[] Document)>> ListOfRunsAsync(IReadOnlyCollection<long> runPks, ModelKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, ModelQueries.RowsOfRuns("SELECT unnest($runs)"), ("runs", runPks.ToArray()), ("k", (int)kind));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(long, int, byte[])>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), reader.GetInt32(1), (byte[])reader.GetValue(2)));
        return rows;
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(ModelKey key, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, "SELECT doc FROM model_rows WHERE run_pk = $r AND attempt_no = $a AND kind = $k AND id = $i",
            ("r", key.RunPk), ("a", key.AttemptNo), ("k", (int)key.Kind), ("i", key.Id));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc/>
    public async Task<bool> ExistsAsync(ModelKey key, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, ModelQueries.RowExists, ("r", key.RunPk), ("a", key.AttemptNo), ("k", (int)key.Kind), ("i", key.Id));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(int AttemptNo, string Id, byte[] Document)>> ListAsync(long runPk, int attemptNo, ModelKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, """
            SELECT attempt_no, id, doc FROM model_rows WHERE run_pk = $r AND ($a < 0 OR attempt_no = $a) AND kind = $k ORDER BY attempt_no, id
            """, ("r", runPk), ("a", attemptNo), ("k", (int)kind));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(int, string, byte[])>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt32(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<byte[]>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, ModelQueries.TaskPage(query, i => $"$s{i}"),
            [("r", query.RunPk), ("a", query.AttemptNo), ("st", query.StageId), ("sa", query.StageAttemptId), ("limit", query.Length), ("offset", query.Offset),
             .. query.Statuses.Select((s, i) => ($"s{i}", (object?)s))]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var docs = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken)) docs.Add((byte[])reader.GetValue(0));
        return docs;
    }

    /// <inheritdoc/>
    public async Task<long[][]?> TaskQuantilesAsync(long runPk, int attemptNo, int stageId, int stageAttemptId, double[] quantiles, int[] metrics, long memoryBytes,
        CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the count and every scan.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        return await TaskQuantileScan.ComputeAsync(async (sql, onRow, ct) =>
        {
            await using var command = Named(connection, sql, ("r", runPk), ("a", attemptNo), ("st", stageId), ("sa", stageAttemptId));
            command.Transaction = transaction;
            await using var reader = await command.ExecuteReaderAsync(ct);
            Func<int, long> column = reader.GetInt64;
            while (await reader.ReadAsync(ct) && onRow(column)) { }
        }, quantiles, metrics, memoryBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task WriteCachedAsync(IReadOnlyList<(ModelKey Key, byte[] Document)> rows, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (key, document) in rows)
        {
            await using var command = Named(connection, ModelQueries.UpsertCachedRow,
                ("r", key.RunPk), ("a", key.AttemptNo), ("k", (int)key.Kind), ("i", key.Id), ("d", document));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    // The shared statements name parameters $name; Npgsql names them @name.
    private static NpgsqlCommand Named(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql.Replace('$', '@'), connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
