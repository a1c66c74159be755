using Sparkwatch.Model;
using Sparkwatch.Storage.Accepted;
using static Sparkwatch.Storage.Postgres.PostgresAppender;

namespace Sparkwatch.Storage.Postgres;

// The model sink on PostgreSQL: the model's cursor row of the run is locked for the transaction, so the sink runner and
// a read catching the run up take turns and neither projects a payload twice.
public sealed partial class PostgresEventStore : IRunModelProjection
{
    /// <inheritdoc/>
    public async Task ProjectAsync(long runPk, IReadOnlyList<AcceptedEvent> events, long upToPosition, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var ensure = Sql(connection, """
            INSERT INTO sink_runs (sink, run_pk, applied_position, accepted_position) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING
            """, RunModelProjection.SinkName, runPk, upToPosition))
        {
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = Sql(connection, "SELECT applied_position FROM sink_runs WHERE sink = $1 AND run_pk = $2 FOR UPDATE", RunModelProjection.SinkName, runPk);
        var applied = (long)(await select.ExecuteScalarAsync(cancellationToken))!;
        if (upToPosition <= applied) return;
        var session = new ModelSession(new PostgresModelRows(connection));
        foreach (var e in events)
        {
            if (e.Position > applied) RunProjector.Apply(session, runPk, e.Json);
        }
        session.Flush();
        await using var update = Sql(connection, "UPDATE sink_runs SET applied_position = $3 WHERE sink = $1 AND run_pk = $2", RunModelProjection.SinkName, runPk, upToPosition);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<(long Applied, long Accepted)> ModelPositionAsync(long runPk, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, """
            SELECT coalesce(w.applied_position, 0), r.accepted_position FROM runs r
            LEFT JOIN sink_runs w ON w.sink = $1 AND w.run_pk = r.run_pk WHERE r.run_pk = $2
            """, RunModelProjection.SinkName, runPk);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0L, 0L);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<long>> RunsBehindAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, "SELECT run_pk FROM sink_runs WHERE sink = $1 AND accepted_position > applied_position LIMIT $2",
            RunModelProjection.SinkName, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<long>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(reader.GetInt64(0));
        return runs;
    }

    /// <inheritdoc/>
    public Task CatchUpAsync(long? runPk, CancellationToken cancellationToken) =>
        _runModel ? RunModelProjection.CatchUpAsync(this, runPk, cancellationToken) : Task.CompletedTask;
}
