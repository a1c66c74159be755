using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;
using Sparkwatch.Storage.Compression;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// The write path: stores batches on the one writer connection, each event once per (run, seq), and keeps the run's
/// facts up to date in the same transaction. Not thread-safe; the store serialises calls.
/// </summary>
internal sealed class SqliteAppender : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _insertQuarantined;
    private readonly RawStatement _insertStart;
    private readonly RawStatement _insertEnd;
    private readonly RawStatement _updateRun;
    private readonly RawStatement _setApplication;
    private readonly RawStatement _touchJob;
    private readonly Dictionary<RunKey, long> _runPks = [];
    private readonly Dictionary<string, long> _typeIds = new(StringComparer.Ordinal);
    private readonly StoredEventCodec _codec;
    private readonly SqliteModelRows _modelRows;
    private readonly ModelSession _model;

    public SqliteAppender(SqliteConnection connection, int compressionLevel)
    {
        _connection = connection;
        _codec = new StoredEventCodec(compressionLevel);
        var db = connection.Handle!;
        _modelRows = new SqliteModelRows(db);
        _model = new ModelSession(_modelRows);
        _insertEvent = new RawStatement(db, "INSERT OR IGNORE INTO events (run_pk, generated_at, seq, type_id, data) VALUES (?1, ?2, ?3, ?4, ?5)");
        _insertQuarantined = new RawStatement(db, "INSERT OR IGNORE INTO quarantine (run_pk, seq, generated_at, received_at, reason, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _insertStart = new RawStatement(db, "INSERT OR IGNORE INTO run_starts (run_pk, attempt_id, start_time) VALUES (?1, ?2, ?3)");
        _insertEnd = new RawStatement(db, "INSERT OR IGNORE INTO run_ends (run_pk, end_time) VALUES (?1, ?2)");
        _touchJob = new RawStatement(db, "UPDATE jobs SET last_seen_at = max(last_seen_at, ?2) WHERE job_pk = (SELECT job_pk FROM runs WHERE run_pk = ?1)");
        _setApplication = new RawStatement(db, "UPDATE runs SET app_id = coalesce(?2, app_id), app_name = coalesce(?3, app_name) WHERE run_pk = ?1");
        _updateRun = new RawStatement(db, """
            UPDATE runs SET
                event_count = event_count + ?2,
                quarantined_count = quarantined_count + ?3,
                max_seq = max(max_seq, ?4),
                last_seen_at = max(last_seen_at, ?5),
                sort_time = coalesce((SELECT max(start_time) FROM run_starts WHERE run_pk = ?1), min(sort_time, ?6)),
                upload_complete = max(upload_complete, ?7)
            WHERE run_pk = ?1
            """);
    }

    public IReadOnlyList<AppendResult> Append(IReadOnlyList<IngestBatch> batches)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        try
        {
            var results = new AppendResult[batches.Count];
            for (var i = 0; i < batches.Count; i++) results[i] = AppendOne(batches[i]);
            _model.Flush();
            transaction.Commit();
            return results;
        }
        catch
        {
            // Keys cached during the failed transaction may name rows that no longer exist.
            _runPks.Clear();
            _typeIds.Clear();
            _model.Clear();
            throw;
        }
    }

    private AppendResult AppendOne(IngestBatch batch)
    {
        var runPk = EnsureRun(batch);
        // Only payloads without counters are numbered after the run's last seq.
        var maxSeq = batch.FirstSeq is null ? QueryLong("SELECT max_seq FROM runs WHERE run_pk = $p", ("$p", runPk)) : 0;
        int stored = 0, duplicates = 0, quarantined = 0;
        long minGeneratedAt = long.MaxValue, batchMaxSeq = 0;
        foreach (var e in batch.Events)
        {
            var seq = batch.SeqOf(e.Ordinal, maxSeq);
            batchMaxSeq = Math.Max(batchMaxSeq, seq);
            minGeneratedAt = Math.Min(minGeneratedAt, e.GeneratedAt);
            var inserted = _insertEvent.Bind(1, runPk).Bind(2, e.GeneratedAt).Bind(3, seq).Bind(4, TypeId(e.Facts.EventType)).Bind(5, _codec.Encode(e.Json.Span)).Execute();
            if (inserted == 0)
            {
                duplicates++;
                continue;
            }
            stored++;
            RunProjector.Apply(_model, runPk, e.Json.Span);
            if (e.Facts is { IsApplicationStart: true, Timestamp: { } start })
            {
                _insertStart.Bind(1, runPk).Bind(2, e.Facts.AttemptId ?? "").Bind(3, start).Execute();
                _setApplication.Bind(1, runPk).BindNullable(2, e.Facts.AppId).BindNullable(3, e.Facts.AppName).Execute();
            }
            if (e.Facts is { IsApplicationEnd: true, Timestamp: { } end }) _insertEnd.Bind(1, runPk).Bind(2, end).Execute();
        }
        foreach (var q in batch.Quarantined)
        {
            var seq = batch.SeqOf(q.Ordinal, maxSeq);
            batchMaxSeq = Math.Max(batchMaxSeq, seq);
            var inserted = _insertQuarantined.Bind(1, runPk).Bind(2, seq).Bind(3, q.GeneratedAt).Bind(4, batch.ReceivedAt).Bind(5, q.Reason).Bind(6, q.Content.Span).Execute();
            if (inserted == 0) duplicates++;
            else quarantined++;
        }
        // Heartbeats take sequence numbers too: the next payload without counters must not reuse them.
        batchMaxSeq = Math.Max(batchMaxSeq, batch.MessageCount == 0 ? 0 : batch.SeqOf(batch.MessageCount - 1, maxSeq));
        _updateRun.Bind(1, runPk).Bind(2, stored).Bind(3, quarantined).Bind(4, batchMaxSeq).Bind(5, batch.ReceivedAt)
            .Bind(6, minGeneratedAt == long.MaxValue ? batch.ReceivedAt : minGeneratedAt).Bind(7, batch.UploadComplete ? 1 : 0).Execute();
        _touchJob.Bind(1, runPk).Bind(2, batch.ReceivedAt).Execute();
        return new AppendResult(stored, duplicates, quarantined);
    }

    private long EnsureRun(IngestBatch batch)
    {
        if (_runPks.TryGetValue(batch.Run, out var cached)) return cached;
        var jobPk = QueryLong("""
            INSERT INTO jobs (job_name, last_seen_at) VALUES ($job, $now)
            ON CONFLICT (job_name) DO UPDATE SET last_seen_at = max(last_seen_at, excluded.last_seen_at)
            RETURNING job_pk
            """, ("$job", batch.Run.JobName), ("$now", batch.ReceivedAt));
        var existing = QueryNullableLong("SELECT run_pk FROM runs WHERE job_pk = $j AND run_id = $r", ("$j", jobPk), ("$r", batch.Run.RunId));
        var runPk = existing ?? QueryLong("""
            INSERT INTO runs (job_pk, run_id, first_seen_at, last_seen_at, sort_time) VALUES ($j, $r, $now, $now, $sort)
            RETURNING run_pk
            """, ("$j", jobPk), ("$r", batch.Run.RunId), ("$now", batch.ReceivedAt),
            ("$sort", batch.Events.Count > 0 ? batch.Events.Min(e => e.GeneratedAt) : batch.ReceivedAt));
        if (existing is null) QueryNullableLong("UPDATE jobs SET run_count = run_count + 1 WHERE job_pk = $j", ("$j", jobPk));
        _runPks[batch.Run] = runPk;
        return runPk;
    }

    private long TypeId(string eventType)
    {
        if (_typeIds.TryGetValue(eventType, out var id)) return id;
        id = QueryLong("""
            INSERT INTO event_types (name) VALUES ($n) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING type_id
            """, ("$n", eventType));
        _typeIds[eventType] = id;
        return id;
    }

    private long QueryLong(string sql, params (string Name, object Value)[] parameters) =>
        QueryNullableLong(sql, parameters) ?? throw new InvalidOperationException($"No row from: {sql}");

    private long? QueryNullableLong(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? null : Convert.ToInt64(result);
    }

    public void Dispose()
    {
        _insertEvent.Dispose();
        _insertQuarantined.Dispose();
        _insertStart.Dispose();
        _insertEnd.Dispose();
        _updateRun.Dispose();
        _setApplication.Dispose();
        _touchJob.Dispose();
        _codec.Dispose();
        _modelRows.Dispose();
    }
}
