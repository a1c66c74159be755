using Sparkwatch.Model;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Storage.Sqlite;

// The model sink on SQLite. The events are folded into the rows outside the write lock, on a read connection's snapshot;
// only writing the changed rows back takes the writer, so ingest commits wait for a write, not for the projection.
public sealed partial class SqliteEventStore : IRunModelProjection
{
    private SqliteModelRows? _modelRows;

    /// <inheritdoc/>
    public async Task ProjectAsync(long runPk, IReadOnlyList<AcceptedEvent> events, long upToPosition, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var connection = Open();
            using var snapshot = connection.BeginTransaction(deferred: true);
            var applied = ModelApplied(connection, runPk);
            if (upToPosition <= applied) return;
            using var reads = new SqliteModelRows(connection.Handle!);
            var session = new ModelSession(reads);
            foreach (var e in events)
            {
                if (e.Position > applied) RunProjector.Apply(session, runPk, e.Json);
            }
            var written = await WriteAsync(writer =>
            {
                using var transaction = writer.BeginTransaction(deferred: false);
                // Another projection of this run (a read catching it up, a rebuild) committed since the snapshot: fold
                // again from the rows it wrote. Any such commit moved the cursor, as it applied events after it.
                if (ModelApplied(writer, runPk) != applied) return false;
                _modelRows ??= new SqliteModelRows(writer.Handle!);
                session.Flush(_modelRows);
                Execute(writer, """
                    INSERT INTO sink_runs (sink, run_pk, applied_position, accepted_position) VALUES ($s, $r, $p, $p)
                    ON CONFLICT (sink, run_pk) DO UPDATE SET applied_position = max(applied_position, excluded.applied_position)
                    """, ("$s", RunModelProjection.SinkName), ("$r", runPk), ("$p", upToPosition));
                transaction.Commit();
                return true;
            }, cancellationToken);
            if (written) return;
        }
    }

    /// <inheritdoc/>
    public Task<(long Applied, long Accepted)> ModelPositionAsync(long runPk, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT coalesce(w.applied_position, 0), r.accepted_position FROM runs r
            LEFT JOIN sink_runs w ON w.sink = $s AND w.run_pk = r.run_pk WHERE r.run_pk = $r
            """, ("$s", RunModelProjection.SinkName), ("$r", runPk));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0L, 0L));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> RunsBehindAsync(int limit, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT run_pk FROM sink_runs WHERE sink = $s AND accepted_position > applied_position LIMIT $n",
            ("$s", RunModelProjection.SinkName), ("$n", limit));
        using var reader = command.ExecuteReader();
        var runs = new List<long>();
        while (reader.Read()) runs.Add(reader.GetInt64(0));
        return Task.FromResult<IReadOnlyList<long>>(runs);
    }

    /// <inheritdoc/>
    public Task CatchUpAsync(long? runPk, CancellationToken cancellationToken) =>
        _options.RunModel ? RunModelProjection.CatchUpAsync(this, runPk, cancellationToken) : Task.CompletedTask;

    private void RegisterModelSink() => RegisterSinkAsync(RunModelProjection.SinkName).GetAwaiter().GetResult();

    private static long ModelApplied(Microsoft.Data.Sqlite.SqliteConnection connection, long runPk)
    {
        using var command = Command(connection, "SELECT applied_position FROM sink_runs WHERE sink = $s AND run_pk = $r",
            ("$s", RunModelProjection.SinkName), ("$r", runPk));
        return command.ExecuteScalar() is long applied ? applied : 0;
    }
}
