using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;

namespace Sparkwatch.Storage.Sqlite;

// `sparkwatch rebuild` on SQLite: on the writer connection, under the write lock, one transaction per run.
public sealed partial class SqliteEventStore : IRunModelRebuilder
{
    /// <inheritdoc/>
    public async Task<int> RebuildModelAsync(RunKey? run, Action<RunKey, long>? progress, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("The store is not initialised.");
        await _writerTurns.EnterAsync(commit: false, cancellationToken);
        try
        {
            var runs = new List<(long RunPk, RunKey Key)>();
            using (var command = Command(writer, """
                SELECT r.run_pk, j.job_name, r.run_id FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
                WHERE ($job IS NULL OR j.job_name = $job) AND ($run IS NULL OR r.run_id = $run) AND r.retained_position = 0 ORDER BY r.run_pk
                """, ("$job", run?.JobName), ("$run", run?.RunId)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) runs.Add((reader.GetInt64(0), new RunKey(reader.GetString(1), reader.GetString(2))));
            }
            var db = writer.Handle!;
            using var rows = new SqliteModelRows(db);
            using var events = new RawStatement(db, "SELECT data FROM events WHERE run_pk = ?1 ORDER BY seq");
            var codec = _decoders.Rent();
            try
            {
                foreach (var (runPk, key) in runs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var transaction = writer.BeginTransaction(deferred: false);
                    using (var delete = Command(writer, "DELETE FROM model_rows WHERE run_pk = $r; DELETE FROM model_tasks WHERE run_pk = $r", ("$r", runPk)))
                    {
                        delete.ExecuteNonQuery();
                    }
                    var session = new ModelSession(rows);
                    long count = 0;
                    events.Bind(1, runPk);
                    while (events.Step())
                    {
                        RunProjector.Apply(session, runPk, codec.DecodeToBuffer(events.Blob(0)));
                        if (++count % 10_000 == 0) session.Flush();
                    }
                    session.Flush();
                    // The model now holds every event the run accepted: its sink's cursor says so.
                    using (var cursor = Command(writer, """
                        INSERT INTO sink_runs (sink, run_pk, applied_position, accepted_position)
                        SELECT $s, run_pk, accepted_position, accepted_position FROM runs WHERE run_pk = $r
                        ON CONFLICT (sink, run_pk) DO UPDATE SET applied_position = excluded.applied_position
                        """, ("$s", RunModelProjection.SinkName), ("$r", runPk)))
                    {
                        cursor.ExecuteNonQuery();
                    }
                    transaction.Commit();
                    progress?.Invoke(key, count);
                }
            }
            finally
            {
                _decoders.Return(codec);
            }
            return runs.Count;
        }
        finally
        {
            _writerTurns.Exit();
        }
    }
}
