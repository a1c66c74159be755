using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Appending;
using Sparkwatch.Storage.Compression;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// The write path: runs <see cref="AppendRules"/> on the one writer connection, one transaction per group of batches,
/// with statements prepared once. Not thread-safe; the store serialises calls. Every statement here is synchronous
/// (SQLite is in-process), so the tasks it returns are already complete.
/// </summary>
internal sealed class SqliteAppender : IAppendTransaction, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _insertQuarantined;
    private readonly RawStatement _deleteEvent;
    private readonly RawStatement _deleteQuarantined;
    private readonly RawStatement _storedHash;
    private readonly RawStatement _runState;
    private readonly RawStatement _insertStart;
    private readonly RawStatement _insertEnd;
    private readonly RawStatement _updateRun;
    private readonly RawStatement _setApplication;
    private readonly RawStatement _touchJob;
    private readonly RawStatement _nextPosition;
    private readonly RawStatement _insertAccepted;
    private readonly RawStatement _markPending;
    private readonly Dictionary<RunKey, long> _runPks = [];
    private readonly Dictionary<string, long> _typeIds = new(StringComparer.Ordinal);
    private readonly StoredEventCodecPool _encoders;
    private readonly StoredEventCodec _codec;
    // The batch AppendRules is appending: its events may carry their stored forms already.
    private IngestBatch? _batch;

    /// <summary>Bytes of events and quarantined messages the last <see cref="AppendAsync"/> inserted (what it grew the log by, roughly).</summary>
    public long LastAppendBytes { get; private set; }
    // The payloads of the open transaction, for the handoff once it commits; null when nobody takes them.
    private List<StoredPayload>? _stored;

    public SqliteAppender(SqliteConnection connection, StoredEventCodecPool encoders)
    {
        _connection = connection;
        _encoders = encoders;
        _codec = encoders.Rent();
        var db = connection.Handle!;
        _insertEvent = new RawStatement(db, "INSERT OR IGNORE INTO events (run_pk, generated_at, seq, type_id, data, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _insertQuarantined = new RawStatement(db, "INSERT OR IGNORE INTO quarantine (run_pk, seq, generated_at, received_at, reason, content, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _deleteEvent = new RawStatement(db, "DELETE FROM events WHERE run_pk = ?1 AND seq = ?2");
        _deleteQuarantined = new RawStatement(db, "DELETE FROM quarantine WHERE run_pk = ?1 AND seq = ?2");
        _storedHash = new RawStatement(db, """
            SELECT hash IS NULL, coalesce(hash, 0) FROM events WHERE run_pk = ?1 AND seq = ?2
            UNION ALL SELECT hash IS NULL, coalesce(hash, 0) FROM quarantine WHERE run_pk = ?1 AND seq = ?2
            """);
        _runState = new RawStatement(db, "SELECT max_seq, stream, last_payload_count, last_payload_hash FROM runs WHERE run_pk = ?1");
        _insertStart = new RawStatement(db, "INSERT OR IGNORE INTO run_starts (run_pk, attempt_id, start_time) VALUES (?1, ?2, ?3)");
        _insertEnd = new RawStatement(db, "INSERT OR IGNORE INTO run_ends (run_pk, end_time) VALUES (?1, ?2)");
        _touchJob = new RawStatement(db, "UPDATE jobs SET last_seen_at = max(last_seen_at, ?2) WHERE job_pk = (SELECT job_pk FROM runs WHERE run_pk = ?1)");
        _setApplication = new RawStatement(db, "UPDATE runs SET app_id = coalesce(?2, app_id), app_name = coalesce(?3, app_name) WHERE run_pk = ?1");
        _nextPosition = new RawStatement(db, "UPDATE runs SET accepted_position = accepted_position + 1 WHERE run_pk = ?1 RETURNING accepted_position");
        _insertAccepted = new RawStatement(db, "INSERT INTO accepted (run_pk, position, accepted_at, event_count, seqs, min_generated_at, max_generated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        // "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the upsert, not to the SELECT's join.
        _markPending = new RawStatement(db, """
            INSERT INTO sink_runs (sink, run_pk, accepted_position) SELECT name, ?1, ?2 FROM sinks WHERE true
            ON CONFLICT (sink, run_pk) DO UPDATE SET accepted_position = excluded.accepted_position
            """);
        _updateRun = new RawStatement(db, """
            UPDATE runs SET
                event_count = event_count + ?2,
                quarantined_count = quarantined_count + ?3,
                max_seq = max(max_seq, ?4),
                last_seen_at = max(last_seen_at, ?5),
                sort_time = coalesce((SELECT max(start_time) FROM run_starts WHERE run_pk = ?1), min(sort_time, ?6)),
                upload_complete = max(upload_complete, ?7),
                stream = max(stream, ?8),
                last_payload_count = CASE WHEN ?9 THEN ?10 ELSE last_payload_count END,
                last_payload_hash = CASE WHEN ?9 THEN ?11 ELSE last_payload_hash END
            WHERE run_pk = ?1
            """);
    }

    /// <summary>Appends the batches in one transaction; with <paramref name="collectStored"/>, also returns the payloads it put in the accepted stream.</summary>
    public async Task<(IReadOnlyList<AppendResult> Results, IReadOnlyList<StoredPayload>? Stored)> AppendAsync(IReadOnlyList<IngestBatch> batches, bool collectStored)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        _stored = collectStored ? [] : null;
        LastAppendBytes = 0;
        try
        {
            var results = new AppendResult[batches.Count];
            for (var i = 0; i < batches.Count; i++)
            {
                _batch = batches[i];
                results[i] = await AppendRules.AppendAsync(this, batches[i], CancellationToken.None);
            }
            transaction.Commit();
            return (results, _stored);
        }
        catch
        {
            // Keys cached during the failed transaction may name rows that no longer exist.
            _runPks.Clear();
            _typeIds.Clear();
            throw;
        }
        finally
        {
            _batch = null;
        }
    }

    public Task<RunState> LockRunAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        // The one writer connection holds the write lock for the whole transaction: the run's row is as good as locked.
        var runPk = EnsureRun(batch);
        _runState.Bind(1, runPk);
        if (!_runState.Step()) throw new InvalidOperationException($"Run {batch.Run} vanished.");
        var state = new RunState(runPk, _runState.Int64(0), _runState.Int64(1), (int)_runState.Int64(2), _runState.Int64(3));
        while (_runState.Step())
        {
        }
        return Task.FromResult(state);
    }

    public Task<IReadOnlySet<long>> InsertAsync(long runPk, IReadOnlyList<EventRow> events, IReadOnlyList<QuarantineRow> quarantined, long receivedAt,
        CancellationToken cancellationToken)
    {
        var inserted = new HashSet<long>();
        foreach (var (e, seq, hash) in events)
        {
            var encoded = _encoders.StoredForm(_batch!, e, _codec);
            if (_insertEvent.Bind(1, runPk).Bind(2, e.GeneratedAt).Bind(3, seq).Bind(4, TypeId(e.Facts.EventType)).Bind(5, encoded).Bind(6, hash).Execute() > 0)
            {
                inserted.Add(seq);
                LastAppendBytes += encoded.Length;
            }
        }
        foreach (var (q, seq, hash) in quarantined)
        {
            if (_insertQuarantined.Bind(1, runPk).Bind(2, seq).Bind(3, q.GeneratedAt).Bind(4, receivedAt).Bind(5, q.Reason).Bind(6, q.Content.Span).Bind(7, hash).Execute() > 0)
            {
                inserted.Add(seq);
                LastAppendBytes += q.Content.Length;
            }
        }
        return Task.FromResult<IReadOnlySet<long>>(inserted);
    }

    public Task DeleteAsync(long runPk, IReadOnlyCollection<long> seqs, CancellationToken cancellationToken)
    {
        foreach (var seq in seqs)
        {
            _deleteEvent.Bind(1, runPk).Bind(2, seq).Execute();
            _deleteQuarantined.Bind(1, runPk).Bind(2, seq).Execute();
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<long, long?>> StoredHashesAsync(long runPk, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<long, long?>();
        foreach (var seq in seqs)
        {
            _storedHash.Bind(1, runPk).Bind(2, seq);
            while (_storedHash.Step()) hashes[seq] = _storedHash.Int64(0) != 0 ? null : _storedHash.Int64(1);
        }
        return Task.FromResult<IReadOnlyDictionary<long, long?>>(hashes);
    }

    public Task RecordStartAsync(long runPk, string attemptId, long startTime, string? appId, string? appName, CancellationToken cancellationToken)
    {
        _insertStart.Bind(1, runPk).Bind(2, attemptId).Bind(3, startTime).Execute();
        _setApplication.Bind(1, runPk).BindNullable(2, appId).BindNullable(3, appName).Execute();
        return Task.CompletedTask;
    }

    public Task RecordEndAsync(long runPk, long endTime, CancellationToken cancellationToken)
    {
        _insertEnd.Bind(1, runPk).Bind(2, endTime).Execute();
        return Task.CompletedTask;
    }

    public Task RecordAcceptedAsync(long runPk, IReadOnlyList<EventRow> stored, (long From, long To) generatedAt, long acceptedAt, CancellationToken cancellationToken)
    {
        _nextPosition.Bind(1, runPk);
        if (!_nextPosition.Step()) throw new InvalidOperationException($"Run {runPk} vanished.");
        var position = _nextPosition.Int64(0);
        while (_nextPosition.Step())
        {
        }
        _insertAccepted.Bind(1, runPk).Bind(2, position).Bind(3, acceptedAt).Bind(4, stored.Count).Bind(5, "[" + string.Join(',', stored.Select(r => r.Seq)) + "]")
            .Bind(6, generatedAt.From).Bind(7, generatedAt.To).Execute();
        _markPending.Bind(1, runPk).Bind(2, position).Execute();
        _stored?.Add(new StoredPayload(runPk, position, stored));
        return Task.CompletedTask;
    }

    public Task UpdateRunAsync(long runPk, RunUpdate update, CancellationToken cancellationToken)
    {
        _updateRun.Bind(1, runPk).Bind(2, update.Stored).Bind(3, update.Quarantined).Bind(4, update.MaxSeq).Bind(5, update.LastSeenAt)
            .Bind(6, update.MinGeneratedAt).Bind(7, update.UploadComplete ? 1 : 0).Bind(8, update.Stream)
            .Bind(9, update.LastPayload is null ? 0 : 1).Bind(10, update.LastPayload?.Count ?? 0).Bind(11, update.LastPayload?.Hash ?? 0).Execute();
        _touchJob.Bind(1, runPk).Bind(2, update.LastSeenAt).Execute();
        return Task.CompletedTask;
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

    /// <inheritdoc/>

    public void Dispose()
    {
        _insertEvent.Dispose();
        _insertQuarantined.Dispose();
        _deleteEvent.Dispose();
        _deleteQuarantined.Dispose();
        _storedHash.Dispose();
        _runState.Dispose();
        _insertStart.Dispose();
        _insertEnd.Dispose();
        _updateRun.Dispose();
        _setApplication.Dispose();
        _touchJob.Dispose();
        _nextPosition.Dispose();
        _insertAccepted.Dispose();
        _markPending.Dispose();
        _encoders.Return(_codec);
    }
}
