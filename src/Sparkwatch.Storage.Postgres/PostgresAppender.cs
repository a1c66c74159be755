using System.Collections.Concurrent;
using Npgsql;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Appending;
using Sparkwatch.Storage.Compression;

namespace Sparkwatch.Storage.Postgres;

/// <summary>
/// The write path: runs <see cref="AppendRules"/> for a group of batches in one transaction, which also keeps every
/// run's facts up to date. Safe for several collector replicas writing at once.
/// </summary>
internal sealed class PostgresAppender(NpgsqlDataSource dataSource, StoredEventCodecPool codecs, Func<IAcceptedHandoff?> handoff)
{
    private readonly ConcurrentDictionary<string, int> _typeIds = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        await EnsureTypeIdsAsync(batches, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var results = new AppendResult[batches.Count];
        // Every replica locks job and run rows in the same (job, run) order, so concurrent group commits never deadlock.
        var order = Enumerable.Range(0, batches.Count)
            .OrderBy(i => batches[i].Run.JobName, StringComparer.Ordinal).ThenBy(i => batches[i].Run.RunId, StringComparer.Ordinal);
        var receiver = handoff();
        var rules = new Transaction(connection, _typeIds, codecs, receiver is null ? null : []);
        foreach (var i in order)
        {
            rules.Batch = batches[i];
            results[i] = await AppendRules.AppendAsync(rules, batches[i], cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        // Committed payloads of one run are handed over in position order (the batches of a run are appended in order).
        receiver.HandOff(rules.Stored);
        return results;
    }

    /// <summary>The engine's statements for <see cref="AppendRules"/>, on the append's connection and transaction.</summary>
    private sealed class Transaction(NpgsqlConnection connection, ConcurrentDictionary<string, int> typeIds, StoredEventCodecPool codecs,
        List<StoredPayload>? payloads) : IAppendTransaction
    {
        /// <summary>The batch being appended: its events may carry their stored forms already.</summary>
        public IngestBatch? Batch { get; set; }

        /// <summary>The payloads this transaction put in the accepted stream (collected only when there is a handoff).</summary>
        public List<StoredPayload>? Stored => payloads;

        public async Task<RunState> LockRunAsync(IngestBatch batch, CancellationToken cancellationToken)
        {
            await using var job = Sql(connection, """
                INSERT INTO jobs (job_name, last_seen_at) VALUES ($1, $2)
                ON CONFLICT (job_name) DO UPDATE SET last_seen_at = greatest(jobs.last_seen_at, excluded.last_seen_at)
                RETURNING job_pk
                """, batch.Run.JobName, batch.ReceivedAt);
            var jobPk = (long)(await job.ExecuteScalarAsync(cancellationToken))!;
            await using (var insert = Sql(connection, """
                INSERT INTO runs (job_pk, run_id, first_seen_at, last_seen_at, sort_time) VALUES ($1, $2, $3, $3, $4)
                ON CONFLICT (job_pk, run_id) DO NOTHING RETURNING run_pk
                """, jobPk, batch.Run.RunId, batch.ReceivedAt, batch.Events.Count > 0 ? batch.Events.Min(e => e.GeneratedAt) : batch.ReceivedAt))
            {
                if (await insert.ExecuteScalarAsync(cancellationToken) is long)
                {
                    await using var count = Sql(connection, "UPDATE jobs SET run_count = run_count + 1 WHERE job_pk = $1", jobPk);
                    await count.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            // A run this transaction created is locked already; an existing one is locked here until commit, so every
            // decision on its streams and seqs is taken by one collector at a time.
            await using var select = Sql(connection, """
                SELECT run_pk, max_seq, stream, last_payload_count, last_payload_hash FROM runs WHERE job_pk = $1 AND run_id = $2 FOR UPDATE
                """, jobPk, batch.Run.RunId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException($"Run {batch.Run} vanished.");
            return new RunState(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4));
        }

        public async Task<IReadOnlySet<long>> InsertAsync(long runPk, IReadOnlyList<EventRow> events, IReadOnlyList<QuarantineRow> quarantined, long receivedAt,
            CancellationToken cancellationToken)
        {
            var inserted = new HashSet<long>();
            if (events.Count > 0)
            {
                // One statement with array parameters. Measured against binary COPY into a temp table + INSERT … SELECT on real
                // logs (docs/deployment.md): this was faster in every round, and needs no staging table.
                await using var insert = Sql(connection, """
                    WITH ins AS (
                        INSERT INTO events (run_pk, generated_at, seq, type_id, data, hash)
                        SELECT $1, g, s, t, d, h FROM unnest($2::bigint[], $3::bigint[], $4::integer[], $5::bytea[], $6::bigint[]) AS u (g, s, t, d, h)
                        ON CONFLICT DO NOTHING RETURNING seq)
                    SELECT coalesce(array_agg(seq), '{}') FROM ins
                    """, runPk, events.Select(r => r.Event.GeneratedAt).ToArray(), events.Select(r => r.Seq).ToArray(),
                    events.Select(r => typeIds[r.Event.Facts.EventType]).ToArray(), StoredForms(events), events.Select(r => r.Hash).ToArray());
                inserted.UnionWith((long[])(await insert.ExecuteScalarAsync(cancellationToken))!);
            }
            if (quarantined.Count > 0)
            {
                await using var insert = Sql(connection, """
                    WITH ins AS (
                        INSERT INTO quarantine (run_pk, seq, generated_at, received_at, reason, content, hash)
                        SELECT $1, s, g, $2, r, c, h FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::bytea[], $7::bigint[]) AS u (s, g, r, c, h)
                        ON CONFLICT DO NOTHING RETURNING seq)
                    SELECT coalesce(array_agg(seq), '{}') FROM ins
                    """, runPk, receivedAt, quarantined.Select(r => r.Seq).ToArray(), quarantined.Select(r => r.Message.GeneratedAt).ToArray(),
                    quarantined.Select(r => r.Message.Reason).ToArray(), quarantined.Select(r => r.Message.Content.ToArray()).ToArray(),
                    quarantined.Select(r => r.Hash).ToArray());
                inserted.UnionWith((long[])(await insert.ExecuteScalarAsync(cancellationToken))!);
            }
            return inserted;
        }

        public async Task DeleteAsync(long runPk, IReadOnlyCollection<long> seqs, CancellationToken cancellationToken)
        {
            await using var delete = Sql(connection, """
                WITH e AS (DELETE FROM events WHERE run_pk = $1 AND seq = ANY ($2))
                DELETE FROM quarantine WHERE run_pk = $1 AND seq = ANY ($2)
                """, runPk, seqs.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<IReadOnlyDictionary<long, long?>> StoredHashesAsync(long runPk, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
        {
            await using var select = Sql(connection, """
                SELECT seq, hash FROM events WHERE run_pk = $1 AND seq = ANY ($2)
                UNION ALL SELECT seq, hash FROM quarantine WHERE run_pk = $1 AND seq = ANY ($2)
                """, runPk, seqs.ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var hashes = new Dictionary<long, long?>();
            while (await reader.ReadAsync(cancellationToken)) hashes[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            return hashes;
        }

        public async Task RecordStartAsync(long runPk, string attemptId, long startTime, string? appId, string? appName, CancellationToken cancellationToken)
        {
            await using var insert = Sql(connection, "INSERT INTO run_starts (run_pk, attempt_id, start_time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                runPk, attemptId, startTime);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await using var update = Sql(connection, "UPDATE runs SET app_id = coalesce($2, app_id), app_name = coalesce($3, app_name) WHERE run_pk = $1",
                runPk, (object?)appId ?? DBNull.Value, (object?)appName ?? DBNull.Value);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task RecordEndAsync(long runPk, long endTime, CancellationToken cancellationToken)
        {
            await using var command = Sql(connection, "INSERT INTO run_ends (run_pk, end_time) VALUES ($1, $2) ON CONFLICT DO NOTHING", runPk, endTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task RecordAcceptedAsync(long runPk, IReadOnlyList<EventRow> stored, (long From, long To) generatedAt, long acceptedAt, CancellationToken cancellationToken)
        {
            // The time range is not kept: events are found by seq through events_once_per_seq.
            // The run's row is locked by this transaction (LockRunAsync), so its positions commit in the order they are taken.
            await using var command = Sql(connection, """
                WITH p AS (UPDATE runs SET accepted_position = accepted_position + 1 WHERE run_pk = $1 RETURNING accepted_position),
                a AS (INSERT INTO accepted (run_pk, position, accepted_at, event_count, seqs) SELECT $1, accepted_position, $2, $3, $4 FROM p),
                w AS (INSERT INTO sink_runs (sink, run_pk, accepted_position) SELECT s.name, $1, p.accepted_position FROM sinks s, p
                      ON CONFLICT (sink, run_pk) DO UPDATE SET accepted_position = excluded.accepted_position)
                SELECT accepted_position FROM p
                """, runPk, acceptedAt, stored.Count, stored.Select(r => r.Seq).ToArray());
            var position = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            payloads?.Add(new StoredPayload(runPk, position, stored));
        }

        public async Task UpdateRunAsync(long runPk, RunUpdate update, CancellationToken cancellationToken)
        {
            await using var command = Sql(connection, """
                UPDATE runs SET
                    event_count = event_count + $2,
                    quarantined_count = quarantined_count + $3,
                    max_seq = greatest(max_seq, $4),
                    last_seen_at = greatest(last_seen_at, $5),
                    sort_time = coalesce((SELECT max(start_time) FROM run_starts WHERE run_pk = $1), least(sort_time, $6)),
                    upload_complete = upload_complete OR $7,
                    stream = greatest(stream, $8),
                    last_payload_count = CASE WHEN $9 THEN $10 ELSE last_payload_count END,
                    last_payload_hash = CASE WHEN $9 THEN $11 ELSE last_payload_hash END
                WHERE run_pk = $1
                """, runPk, (long)update.Stored, (long)update.Quarantined, update.MaxSeq, update.LastSeenAt, update.MinGeneratedAt, update.UploadComplete,
                update.Stream, update.LastPayload is not null, update.LastPayload?.Count ?? 0, update.LastPayload?.Hash ?? 0L);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private byte[][] StoredForms(IReadOnlyList<EventRow> events)
        {
            var codec = codecs.Rent();
            try
            {
                return [.. events.Select(r => codecs.StoredForm(Batch!, r.Event, codec).ToArray())];
            }
            finally
            {
                codecs.Return(codec);
            }
        }
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
