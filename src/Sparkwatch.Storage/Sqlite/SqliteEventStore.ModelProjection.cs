using Sparkwatch.Model;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Storage.Sqlite;

// The model sink on SQLite: on the writer connection, under the write lock, between group commits.
public sealed partial class SqliteEventStore : IRunModelProjection
{
    private SqliteModelRows? _modelRows;

    /// <inheritdoc/>
    public Task ProjectAsync(long runPk, IReadOnlyList<AcceptedEvent> events, long upToPosition, CancellationToken cancellationToken) => WriteAsync(writer =>
    {
        using var transaction = writer.BeginTransaction(deferred: false);
        var applied = ModelApplied(writer, runPk);
        if (upToPosition <= applied) return 0;
        _modelRows ??= new SqliteModelRows(writer.Handle!);
        var session = new ModelSession(_modelRows);
        foreach (var e in events)
        {
            if (e.Position > applied) RunProjector.Apply(session, runPk, e.Json);
        }
        session.Flush();
        Execute(writer, """
            INSERT INTO sink_runs (sink, run_pk, applied_position, accepted_position) VALUES ($s, $r, $p, $p)
            ON CONFLICT (sink, run_pk) DO UPDATE SET applied_position = max(applied_position, excluded.applied_position)
            """, ("$s", RunModelProjection.SinkName), ("$r", runPk), ("$p", upToPosition));
        transaction.Commit();
        return 0;
    }, cancellationToken);

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
