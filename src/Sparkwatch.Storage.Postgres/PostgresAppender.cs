using System.Collections.Concurrent;
using Npgsql;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;
using Sparkwatch.Storage.Compression;

namespace Sparkwatch.Storage.Postgres;

/// <summary>
/// The write path: stores a group of batches in one transaction, each event once per (run, seq), and keeps every
/// run's facts up to date in that same transaction. Safe for several collector replicas writing at once.
/// </summary>
internal sealed class PostgresAppender(NpgsqlDataSource dataSource, StoredEventCodecPool codecs)
{
    private readonly ConcurrentDictionary<string, int> _typeIds = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        await EnsureTypeIdsAsync(batches, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var results = new AppendResult[batches.Count];
        var model = new ModelSession(new PostgresModelRows(connection));
        // Every replica locks job and run rows in the same (job, run) order, so concurrent group commits never deadlock.
        var order = Enumerable.Range(0, batches.Count)
            .OrderBy(i => batches[i].Run.JobName, StringComparer.Ordinal).ThenBy(i => batches[i].Run.RunId, StringComparer.Ordinal);
        foreach (var i in order) results[i] = await AppendOneAsync(connection, model, batches[i], cancellationToken);
        model.Flush();
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    private async Task<AppendResult> AppendOneAsync(NpgsqlConnection connection, ModelSession model, IngestBatch batch, CancellationToken cancellationToken)
    {
        var (runPk, maxSeq) = await LockRunAsync(connection, batch, cancellationToken);
        long minGeneratedAt = long.MaxValue, batchMaxSeq = 0;
        var seqs = new long[batch.Events.Count];
        for (var i = 0; i < seqs.Length; i++)
        {
            var e = batch.Events[i];
            seqs[i] = batch.SeqOf(e.Ordinal, maxSeq);
            batchMaxSeq = Math.Max(batchMaxSeq, seqs[i]);
            minGeneratedAt = Math.Min(minGeneratedAt, e.GeneratedAt);
        }
        var (stored, newSpecialSeqs, newSeqs) = seqs.Length == 0 ? (0, [], []) : await InsertEventsAsync(connection, runPk, batch, seqs, cancellationToken);
        for (var i = 0; i < seqs.Length; i++)
        {
            if (newSeqs.Contains(seqs[i])) RunProjector.Apply(model, runPk, batch.Events[i].Json.Span);
        }
        foreach (var i in Enumerable.Range(0, seqs.Length).Where(i => newSpecialSeqs.Contains(seqs[i])))
        {
            await RecordBoundaryAsync(connection, runPk, batch.Events[i], cancellationToken);
        }
        var quarantined = 0;
        if (batch.Quarantined.Count > 0)
        {
            var qSeqs = batch.Quarantined.Select(q => batch.SeqOf(q.Ordinal, maxSeq)).ToArray();
            batchMaxSeq = Math.Max(batchMaxSeq, qSeqs.Max());
            quarantined = await InsertQuarantinedAsync(connection, runPk, batch, qSeqs, cancellationToken);
        }
        // Heartbeats take sequence numbers too: the next payload without counters must not reuse them.
        batchMaxSeq = Math.Max(batchMaxSeq, batch.MessageCount == 0 ? 0 : batch.SeqOf(batch.MessageCount - 1, maxSeq));
        await using var update = Sql(connection, """
            UPDATE runs SET
                event_count = event_count + $2,
                quarantined_count = quarantined_count + $3,
                max_seq = greatest(max_seq, $4),
                last_seen_at = greatest(last_seen_at, $5),
                sort_time = coalesce((SELECT max(start_time) FROM run_starts WHERE run_pk = $1), least(sort_time, $6)),
                upload_complete = upload_complete OR $7
            WHERE run_pk = $1
            """, runPk, (long)stored, (long)quarantined, batchMaxSeq, batch.ReceivedAt,
            minGeneratedAt == long.MaxValue ? batch.ReceivedAt : minGeneratedAt, batch.UploadComplete);
        await update.ExecuteNonQueryAsync(cancellationToken);
        var duplicates = seqs.Length - stored + batch.Quarantined.Count - quarantined;
        return new AppendResult(stored, duplicates, quarantined);
    }

    /// <summary>Finds or creates the run and locks its row until commit; returns its key and highest seq so far.</summary>
    private static async Task<(long RunPk, long MaxSeq)> LockRunAsync(NpgsqlConnection connection, IngestBatch batch, CancellationToken cancellationToken)
    {
        await using var job = Sql(connection, """
            INSERT INTO jobs (job_name, last_seen_at) VALUES ($1, $2)
            ON CONFLICT (job_name) DO UPDATE SET last_seen_at = greatest(jobs.last_seen_at, excluded.last_seen_at)
            RETURNING job_pk
            """, batch.Run.JobName, batch.ReceivedAt);
        var jobPk = (long)(await job.ExecuteScalarAsync(cancellationToken))!;
        await using var insert = Sql(connection, """
            INSERT INTO runs (job_pk, run_id, first_seen_at, last_seen_at, sort_time) VALUES ($1, $2, $3, $3, $4)
            ON CONFLICT (job_pk, run_id) DO NOTHING RETURNING run_pk
            """, jobPk, batch.Run.RunId, batch.ReceivedAt, batch.Events.Count > 0 ? batch.Events.Min(e => e.GeneratedAt) : batch.ReceivedAt);
        if (await insert.ExecuteScalarAsync(cancellationToken) is long newRunPk)
        {
            await using var count = Sql(connection, "UPDATE jobs SET run_count = run_count + 1 WHERE job_pk = $1", jobPk);
            await count.ExecuteNonQueryAsync(cancellationToken);
            return (newRunPk, 0);
        }
        await using var select = Sql(connection, "SELECT run_pk, max_seq FROM runs WHERE job_pk = $1 AND run_id = $2 FOR UPDATE", jobPk, batch.Run.RunId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException($"Run {batch.Run} vanished.");
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Inserts the batch's events, skipping stored (run, seq); returns how many were new and which of the
    /// new ones are application starts or ends.</summary>
    private async Task<(int Stored, HashSet<long> NewBoundaries, HashSet<long> NewSeqs)> InsertEventsAsync(NpgsqlConnection connection, long runPk, IngestBatch batch, long[] seqs, CancellationToken cancellationToken)
    {
        var boundaries = Enumerable.Range(0, seqs.Length)
            .Where(i => batch.Events[i].Facts.IsApplicationStart || batch.Events[i].Facts.IsApplicationEnd).Select(i => seqs[i]).ToArray();
        // One statement with array parameters. Measured against binary COPY into a temp table + INSERT … SELECT on real
        // logs (docs/deployment.md): this was faster in every round, and needs no staging table.
        await using var insert = Sql(connection, """
            WITH ins AS (
                INSERT INTO events (run_pk, generated_at, seq, type_id, data)
                SELECT $1, g, s, t, d FROM unnest($3::bigint[], $4::bigint[], $5::integer[], $6::bytea[]) AS u (g, s, t, d)
                ON CONFLICT DO NOTHING RETURNING seq)
            SELECT count(*)::integer, coalesce(array_agg(seq) FILTER (WHERE seq = ANY ($2)), '{}'), coalesce(array_agg(seq), '{}') FROM ins
            """, runPk, boundaries, batch.Events.Select(e => e.GeneratedAt).ToArray(), seqs,
            batch.Events.Select(e => _typeIds[e.Facts.EventType]).ToArray(), StoredForms(batch));
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), [.. reader.GetFieldValue<long[]>(1)], [.. reader.GetFieldValue<long[]>(2)]);
    }

    private byte[][] StoredForms(IngestBatch batch)
    {
        var codec = codecs.Rent();
        try
        {
            return [.. batch.Events.Select(e => codec.Encode(e.Json.Span).ToArray())];
        }
        finally
        {
            codecs.Return(codec);
        }
    }

    private static async Task RecordBoundaryAsync(NpgsqlConnection connection, long runPk, IngestMessage e, CancellationToken cancellationToken)
    {
        if (e.Facts is { IsApplicationStart: true, Timestamp: { } start })
        {
            await using var insert = Sql(connection, "INSERT INTO run_starts (run_pk, attempt_id, start_time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                runPk, e.Facts.AttemptId ?? "", start);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await using var update = Sql(connection, "UPDATE runs SET app_id = coalesce($2, app_id), app_name = coalesce($3, app_name) WHERE run_pk = $1",
                runPk, (object?)e.Facts.AppId ?? DBNull.Value, (object?)e.Facts.AppName ?? DBNull.Value);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        if (e.Facts is { IsApplicationEnd: true, Timestamp: { } end })
        {
            await using var command = Sql(connection, "INSERT INTO run_ends (run_pk, end_time) VALUES ($1, $2) ON CONFLICT DO NOTHING", runPk, end);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<int> InsertQuarantinedAsync(NpgsqlConnection connection, long runPk, IngestBatch batch, long[] seqs, CancellationToken cancellationToken)
    {
        await using var command = Sql(connection, """
            WITH ins AS (
                INSERT INTO quarantine (run_pk, seq, generated_at, received_at, reason, content)
                SELECT $1, s, g, $2, r, c FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::bytea[]) AS u (s, g, r, c)
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::integer FROM ins
            """, runPk, batch.ReceivedAt, seqs, batch.Quarantined.Select(q => q.GeneratedAt).ToArray(),
            batch.Quarantined.Select(q => q.Reason).ToArray(), batch.Quarantined.Select(q => q.Content.ToArray()).ToArray());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Registers unseen event types in their own short statement, before the append's transaction: types are
    /// never deleted, and sorted inserts keep concurrent replicas from deadlocking on them.</summary>
    private async Task EnsureTypeIdsAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var missing = batches.SelectMany(b => b.Events).Select(e => e.Facts.EventType).Where(t => !_typeIds.ContainsKey(t))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var insert = Sql(connection, "INSERT INTO event_types (name) SELECT n FROM unnest($1::text[]) AS u (n) ORDER BY n ON CONFLICT (name) DO NOTHING", (object)missing))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = Sql(connection, "SELECT name, type_id FROM event_types WHERE name = ANY($1)", (object)missing);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) _typeIds[reader.GetString(0)] = reader.GetInt32(1);
    }

    internal static NpgsqlCommand Sql(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
