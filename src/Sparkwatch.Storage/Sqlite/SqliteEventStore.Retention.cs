using System.Runtime.CompilerServices;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Retention;

namespace Sparkwatch.Storage.Sqlite;

// Retention on SQLite: a run's rows are rewritten without their bytes, so the pages they leave go on SQLite's free list
// and new events reuse them: the file stops growing. Giving the space back to the file system is an operator's VACUUM
// (or PRAGMA incremental_vacuum on a database switched to auto_vacuum = INCREMENTAL), see docs/archive.md.
public sealed partial class SqliteEventStore : IHotEventRetention
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<RetentionCandidate>> RetentionCandidatesAsync(string archiveSink, long lastSeenBefore, RetentionCandidate? after, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT r.run_pk, j.job_name, r.run_id, r.accepted_position, r.retained_position, r.retained_lines, r.last_seen_at
            FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
            WHERE r.last_seen_at < $before AND r.retained_position < r.accepted_position
              AND EXISTS (SELECT 1 FROM run_ends e WHERE e.run_pk = r.run_pk)
              AND EXISTS (SELECT 1 FROM sink_runs w WHERE w.sink = $archive AND w.run_pk = r.run_pk AND w.applied_position >= r.accepted_position)
              AND NOT EXISTS (SELECT 1 FROM sink_runs w WHERE w.run_pk = r.run_pk AND w.applied_position < r.accepted_position)
              AND (r.last_seen_at > $afterSeen OR (r.last_seen_at = $afterSeen AND r.run_pk > $afterPk))
            ORDER BY r.last_seen_at, r.run_pk LIMIT $limit
            """, ("$before", lastSeenBefore), ("$archive", archiveSink), ("$afterSeen", after?.LastSeenAt ?? long.MinValue), ("$afterPk", after?.RunPk ?? 0), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var runs = new List<RetentionCandidate>();
        while (reader.Read())
        {
            runs.Add(new RetentionCandidate(reader.GetInt64(0), new RunKey(reader.GetString(1), reader.GetString(2)), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }
        return Task.FromResult<IReadOnlyList<RetentionCandidate>>(runs);
    }

    /// <inheritdoc/>
    public async Task<long> DropEventBytesAsync(RetentionCandidate run, long throughPosition, CancellationToken cancellationToken = default)
    {
        var positions = new List<(long Position, long Events)>();
        using (var connection = Open())
        using (var command = Command(connection, """
            SELECT a.position, (SELECT count(*) FROM json_each(a.seqs) j JOIN events e ON e.run_pk = a.run_pk AND e.seq = j.value)
            FROM accepted a WHERE a.run_pk = $r AND a.position > $after AND a.position <= $through ORDER BY a.position
            """, ("$r", run.RunPk), ("$after", run.RetainedPosition), ("$through", throughPosition)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) positions.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        long dropped = 0;
        foreach (var (from, to, linesBefore, events) in RetentionSchema.Pieces(positions, run.RetainedLines))
        {
            cancellationToken.ThrowIfCancellationRequested();
            dropped += await WriteAsync(connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                // Rows emptied in place would leave their pages nearly empty, and no new event ever lands in an old run's
                // key range again: deleted and inserted again, the small rows fill few pages and the rest go on the free list.
                Execute(connection, """
                    CREATE TEMP TABLE IF NOT EXISTS retention_rows (seq INTEGER PRIMARY KEY, generated_at INTEGER NOT NULL, type_id INTEGER NOT NULL, hash INTEGER, line INTEGER NOT NULL);
                    DELETE FROM temp.retention_rows;
                    """);
                Execute(connection, """
                    INSERT INTO temp.retention_rows
                    SELECT e.seq, e.generated_at, e.type_id, e.hash, $before + row_number() OVER (ORDER BY a.position, e.generated_at, e.seq)
                    FROM accepted a JOIN json_each(a.seqs) j JOIN events e ON e.run_pk = a.run_pk AND e.seq = j.value
                    WHERE a.run_pk = $r AND a.position BETWEEN $from AND $to
                    """, ("$r", run.RunPk), ("$before", linesBefore), ("$from", from), ("$to", to));
                Execute(connection, "DELETE FROM events WHERE run_pk = $r AND seq IN (SELECT seq FROM temp.retention_rows)", ("$r", run.RunPk));
                var count = Execute(connection, """
                    INSERT INTO events (run_pk, generated_at, seq, type_id, data, hash, archive_line)
                    SELECT $r, generated_at, seq, type_id, x'', hash, line FROM temp.retention_rows ORDER BY generated_at, seq
                    """, ("$r", run.RunPk));
                Execute(connection, """
                    UPDATE runs SET retained_position = max(retained_position, $to), retained_lines = max(retained_lines, $lines) WHERE run_pk = $r
                    """, ("$r", run.RunPk), ("$to", to), ("$lines", linesBefore + events));
                Execute(connection, "DELETE FROM temp.retention_rows");
                transaction.Commit();
                return count;
            }, cancellationToken);
        }
        return dropped;
    }

    /// <inheritdoc/>
    public Task<RetainedRun?> RetainedAsync(RunKey run, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT r.retained_position, r.retained_lines FROM runs r JOIN jobs j ON j.job_pk = r.job_pk WHERE j.job_name = $job AND r.run_id = $run
            """, ("$job", run.JobName), ("$run", run.RunId));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? new RetainedRun(reader.GetInt64(0), reader.GetInt64(1)) : null);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEventLine> ReadEventLinesAsync(RunKey run, IReadOnlyCollection<string>? eventTypes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        // One read transaction: every statement below sees the same snapshot while the writer goes on.
        using var transaction = connection.BeginTransaction(deferred: true);
        var runPk = RunPk(connection, run);
        if (runPk is null) yield break;
        var db = connection.Handle!;
        var cursors = new List<RawStatement>();
        var codec = _decoders.Rent();
        try
        {
            if (eventTypes is null || eventTypes.Count == 0)
            {
                cursors.Add(new RawStatement(db, "SELECT generated_at, seq, data, archive_line FROM events WHERE run_pk = ?1 ORDER BY generated_at, seq").Bind(1, runPk.Value));
            }
            else
            {
                foreach (var typeId in TypeIds(connection, eventTypes))
                {
                    cursors.Add(new RawStatement(db, "SELECT generated_at, seq, data, archive_line FROM events INDEXED BY events_by_type WHERE run_pk = ?1 AND type_id = ?2 ORDER BY generated_at, seq")
                        .Bind(1, runPk.Value).Bind(2, typeId));
                }
            }
            using var merge = new SortedCursorMerge(cursors);
            while (merge.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A NULL archive line reads as 0: the bytes are here. The blob lives until the cursor moves on, so the
                // event is copied (or inflated) into the codec's buffer.
                var line = merge.Current.Int64(3);
                yield return line > 0 ? new StoredEventLine(line, default) : new StoredEventLine(0, codec.DecodeToBuffer(merge.Current.Blob(2)));
            }
        }
        finally
        {
            foreach (var cursor in cursors) cursor.Dispose();
            _decoders.Return(codec);
        }
    }
}
