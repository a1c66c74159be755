using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;

namespace Sparkwatch.Storage.Postgres;

// `sparkwatch rebuild` on PostgreSQL: one transaction per run, holding the run's row lock so collectors wait.
public sealed partial class PostgresEventStore : IRunModelRebuilder
{
    private const int RebuildChunk = 5_000;

    /// <inheritdoc/>
    public async Task<int> RebuildModelAsync(RunKey? run, Action<RunKey, long>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var runs = new List<(long RunPk, RunKey Key)>();
        await using (var command = Named(connection, """
            SELECT r.run_pk, j.job_name, r.run_id FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
            WHERE ($job::text IS NULL OR j.job_name = $job) AND ($run::text IS NULL OR r.run_id = $run) AND r.retained_position = 0 ORDER BY r.run_pk
            """, ("job", run?.JobName), ("run", run?.RunId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) runs.Add((reader.GetInt64(0), new RunKey(reader.GetString(1), reader.GetString(2))));
        }
        var codec = _codecs.Rent();
        try
        {
            foreach (var (runPk, key) in runs)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var locking = Named(connection, "SELECT 1 FROM runs WHERE run_pk = $r FOR UPDATE; DELETE FROM model_rows WHERE run_pk = $r; DELETE FROM model_tasks WHERE run_pk = $r", ("r", runPk)))
                {
                    await locking.ExecuteNonQueryAsync(cancellationToken);
                }
                var session = new ModelSession(new PostgresModelRows(connection));
                long count = 0, afterSeq = long.MinValue;
                while (true)
                {
                    // Chunks by seq: the projector writes on this connection, which cannot while a reader is open.
                    var chunk = new List<(long Seq, byte[] Data)>();
                    await using (var select = Named(connection, "SELECT seq, data FROM events WHERE run_pk = $r AND seq > $after ORDER BY seq LIMIT $n",
                        ("r", runPk), ("after", afterSeq), ("n", RebuildChunk)))
                    await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
                    {
                        while (await reader.ReadAsync(cancellationToken)) chunk.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
                    }
                    foreach (var (seq, data) in chunk) RunProjector.Apply(session, runPk, codec.DecodeToBuffer(data));
                    session.Flush();
                    count += chunk.Count;
                    if (chunk.Count < RebuildChunk) break;
                    afterSeq = chunk[^1].Seq;
                }
                // The model now holds every event the run accepted (its row lock kept appends out): its sink's cursor says so.
                await using (var cursor = Named(connection, """
                    INSERT INTO sink_runs (sink, run_pk, applied_position, accepted_position)
                    SELECT $s, run_pk, accepted_position, accepted_position FROM runs WHERE run_pk = $r
                    ON CONFLICT (sink, run_pk) DO UPDATE SET applied_position = excluded.applied_position
                    """, ("s", RunModelProjection.SinkName), ("r", runPk)))
                {
                    await cursor.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                progress?.Invoke(key, count);
            }
        }
        finally
        {
            _codecs.Return(codec);
        }
        return runs.Count;
    }
}
