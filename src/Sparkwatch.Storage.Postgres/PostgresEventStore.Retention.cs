using System.Runtime.CompilerServices;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Retention;
using static Sparkwatch.Storage.Postgres.PostgresAppender;

namespace Sparkwatch.Storage.Postgres;

// Retention on PostgreSQL: emptied rows are new row versions; autovacuum frees the old ones for reuse inside the table
// (the files do not shrink: VACUUM FULL or pg_repack does that, see docs/archive.md).
public sealed partial class PostgresEventStore : IHotEventRetention
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<RetentionCandidate>> RetentionCandidatesAsync(string archiveSink, long lastSeenBefore, RetentionCandidate? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, """
            SELECT r.run_pk, j.job_name, r.run_id, r.accepted_position, r.retained_position, r.retained_lines, r.last_seen_at
            FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
            WHERE r.last_seen_at < $1 AND r.retained_position < r.accepted_position
              AND EXISTS (SELECT 1 FROM run_ends e WHERE e.run_pk = r.run_pk)
              AND EXISTS (SELECT 1 FROM sink_runs w WHERE w.sink = $2 AND w.run_pk = r.run_pk AND w.applied_position >= r.accepted_position)
              AND NOT EXISTS (SELECT 1 FROM sink_runs w WHERE w.run_pk = r.run_pk AND w.applied_position < r.accepted_position)
              AND (r.last_seen_at, r.run_pk) > ($4, $5)
            ORDER BY r.last_seen_at, r.run_pk LIMIT $3
            """, lastSeenBefore, archiveSink, limit, after?.LastSeenAt ?? long.MinValue, after?.RunPk ?? 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RetentionCandidate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RetentionCandidate(reader.GetInt64(0), new RunKey(reader.GetString(1), reader.GetString(2)), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }
        return runs;
    }

    /// <inheritdoc/>
    public async Task<long> DropEventBytesAsync(RetentionCandidate run, long throughPosition, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var positions = new List<(long Position, long Events)>();
        await using (var command = Sql(connection, """
            SELECT a.position, (SELECT count(*) FROM unnest(a.seqs) AS s (seq) JOIN events e ON e.run_pk = a.run_pk AND e.seq = s.seq)
            FROM accepted a WHERE a.run_pk = $1 AND a.position > $2 AND a.position <= $3 ORDER BY a.position
            """, run.RunPk, run.RetainedPosition, throughPosition))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) positions.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        long dropped = 0;
        foreach (var (from, to, linesBefore, events) in RetentionSchema.Pieces(positions, run.RetainedLines))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var update = Sql(connection, """
                UPDATE events SET data = '\x'::bytea, archive_line = o.line
                FROM (SELECT e.seq, $2 + row_number() OVER (ORDER BY a.position, e.generated_at, e.seq) AS line
                      FROM accepted a CROSS JOIN LATERAL unnest(a.seqs) AS s (seq) JOIN events e ON e.run_pk = a.run_pk AND e.seq = s.seq
                      WHERE a.run_pk = $1 AND a.position BETWEEN $3 AND $4) o
                WHERE events.run_pk = $1 AND events.seq = o.seq
                """, run.RunPk, linesBefore, from, to))
            {
                dropped += await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var mark = Sql(connection, """
                UPDATE runs SET retained_position = greatest(retained_position, $2), retained_lines = greatest(retained_lines, $3) WHERE run_pk = $1
                """, run.RunPk, to, linesBefore + events))
            {
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return dropped;
    }

    /// <inheritdoc/>
    public async Task<RetainedRun?> RetainedAsync(RunKey run, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, """
            SELECT r.retained_position, r.retained_lines FROM runs r JOIN jobs j ON j.job_pk = r.job_pk WHERE j.job_name = $1 AND r.run_id = $2
            """, run.JobName, run.RunId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new RetainedRun(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEventLine> ReadEventLinesAsync(RunKey run, IReadOnlyCollection<string>? eventTypes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filtered = eventTypes is { Count: > 0 };
        // One statement, so one snapshot. Unfiltered reads walk the primary key in order; filtered ones read the type index.
        var sql = $"""
            SELECT data, coalesce(archive_line, 0) FROM events
            WHERE run_pk = (SELECT r.run_pk FROM runs r JOIN jobs j ON j.job_pk = r.job_pk WHERE j.job_name = $1 AND r.run_id = $2)
            {(filtered ? "AND type_id = ANY (ARRAY(SELECT type_id FROM event_types WHERE name = ANY ($3)))" : "")}
            ORDER BY generated_at, seq
            """;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = filtered ? Sql(connection, sql, run.JobName, run.RunId, eventTypes!.ToArray()) : Sql(connection, sql, run.JobName, run.RunId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        var codec = _codecs.Rent();
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var line = reader.GetInt64(1);
                if (line > 0)
                {
                    yield return new StoredEventLine(line, default);
                    continue;
                }
                var length = (int)reader.GetBytes(0, 0, null, 0, 0);
                if (length > buffer.Length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
                reader.GetBytes(0, 0, buffer, 0, length);
                yield return new StoredEventLine(0, codec.DecodeToBuffer(buffer.AsSpan(0, length)));
            }
        }
        finally
        {
            _codecs.Return(codec);
        }
    }
}
