using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Accepted;
using static Sparkwatch.Storage.Postgres.PostgresAppender;

namespace Sparkwatch.Storage.Postgres;

/// <summary>
/// The accepted stream in PostgreSQL. Positions are taken under the run's row lock, so a run's positions become visible
/// in order whichever collector commits them; leases use the database's clock, so processes with skewed clocks agree.
/// </summary>
public sealed partial class PostgresEventStore : IAcceptedLog
{
    /// <inheritdoc/>
    /// <remarks>Called after each commit of this process; positions other collectors commit are read from the store.</remarks>
    public IAcceptedHandoff? Handoff { get; set; }

    private const string DbNow = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    /// <inheritdoc/>
    public async Task RegisterSinkAsync(string sink, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Appends in flight finish first, and later ones wait for this commit, so every run's latest position is either
        // read here or marked pending by an append that sees the new sink: none is missed.
        await using (var lockRuns = Sql(connection, "LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE"))
        {
            await lockRuns.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var register = Sql(connection, $"""
            WITH s AS (INSERT INTO sinks (name, registered_at) VALUES ($1, {DbNow}) ON CONFLICT DO NOTHING RETURNING name)
            INSERT INTO sink_runs (sink, run_pk, accepted_position) SELECT s.name, r.run_pk, r.accepted_position FROM s, runs r
            WHERE r.accepted_position > 0 ON CONFLICT DO NOTHING
            """, sink);
        await register.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PendingRun>> ClaimPendingRunsAsync(string sink, string owner, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, $"""
            WITH c AS (
                UPDATE sink_runs SET lease_owner = $2, lease_until = {DbNow} + $3
                WHERE sink = $1 AND run_pk IN (
                    SELECT run_pk FROM sink_runs
                    WHERE sink = $1 AND accepted_position > applied_position AND (lease_until <= {DbNow} OR lease_owner = $2)
                    ORDER BY lease_until LIMIT $4 FOR UPDATE SKIP LOCKED)
                RETURNING run_pk, applied_position, accepted_position)
            SELECT c.run_pk, j.job_name, r.run_id, c.applied_position, c.accepted_position
            FROM c JOIN runs r ON r.run_pk = c.run_pk JOIN jobs j ON j.job_pk = r.job_pk
            """, sink, owner, (long)lease.TotalMilliseconds, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<PendingRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new PendingRun(reader.GetInt64(0), new RunKey(reader.GetString(1), reader.GetString(2)), reader.GetInt64(3), reader.GetInt64(4)));
        }
        return runs;
    }

    /// <inheritdoc/>
    public async Task<AcceptedEvents> ReadAcceptedAsync(long runPk, long afterPosition, int maxEvents, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Whole payloads up to the one that reaches maxEvents: a running sum over positions picks them, and one statement
        // (one snapshot) returns them with their events, so the last position returned is exactly the last one read.
        await using var command = Sql(connection, """
            WITH p AS (
                SELECT position, seqs, sum(event_count) OVER (ORDER BY position) - event_count AS before
                FROM accepted WHERE run_pk = $1 AND position > $2),
            chosen AS (SELECT position, seqs FROM p WHERE before < $3)
            SELECT c.position, e.seq, e.generated_at, t.name, e.data
            FROM chosen c LEFT JOIN LATERAL (
                SELECT e.seq, e.generated_at, e.type_id, e.data FROM unnest(c.seqs) AS s (seq) JOIN events e ON e.run_pk = $1 AND e.seq = s.seq AND e.archive_line IS NULL) e ON true
            LEFT JOIN event_types t ON t.type_id = e.type_id
            ORDER BY c.position, e.generated_at, e.seq
            """, runPk, afterPosition, (long)maxEvents);
        var events = new List<AcceptedEvent>();
        var lastPosition = afterPosition;
        var codec = _codecs.Rent();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lastPosition = reader.GetInt64(0);
                if (reader.IsDBNull(1)) continue;
                var json = codec.Decode((byte[])reader.GetValue(4)).ToArray();
                events.Add(new AcceptedEvent(lastPosition, reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), json));
            }
        }
        finally
        {
            _codecs.Return(codec);
        }
        return new AcceptedEvents(events, lastPosition);
    }

    /// <inheritdoc/>
    public async Task MarkAppliedAsync(string sink, string owner, IReadOnlyList<AppliedRun> applied, CancellationToken cancellationToken = default)
    {
        if (applied.Count == 0) return;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, $"""
            UPDATE sink_runs w SET applied_position = greatest(w.applied_position, a.position), lease_owner = NULL, lease_until = {DbNow}
            FROM unnest($2::bigint[], $3::bigint[]) AS a (run_pk, position)
            WHERE w.sink = $1 AND w.run_pk = a.run_pk
            """, sink, applied.Select(a => a.RunPk).ToArray(), applied.Select(a => a.Position).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<SinkLag> LagAsync(string sink, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, """
            SELECT count(DISTINCT w.run_pk), coalesce(sum(a.event_count), 0)::bigint, min(a.accepted_at)
            FROM sink_runs w JOIN accepted a ON a.run_pk = w.run_pk AND a.position > w.applied_position
            WHERE w.sink = $1 AND w.accepted_position > w.applied_position
            """, sink);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SinkLag(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }
}
