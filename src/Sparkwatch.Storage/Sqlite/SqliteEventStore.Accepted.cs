using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// The accepted stream in the embedded store. Cursor and lease writes go through the one writer connection (under the
/// write lock, between group commits), so sinks never wait on SQLite's file lock and never make the ingest writer wait.
/// </summary>
public sealed partial class SqliteEventStore : IAcceptedLog
{
    /// <inheritdoc/>
    /// <remarks>Called right after each commit, once the writer is free for the next one.</remarks>
    public IAcceptedHandoff? Handoff { get; set; }

    /// <inheritdoc/>
    public Task RegisterSinkAsync(string sink, CancellationToken cancellationToken = default) => WriteAsync(connection =>
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var isNew = Execute(connection, "INSERT INTO sinks (name, registered_at) VALUES ($s, $now) ON CONFLICT DO NOTHING", ("$s", sink), ("$now", Now())) > 0;
        // Everything accepted before the sink existed is pending for it too.
        if (isNew)
        {
            Execute(connection, """
                INSERT INTO sink_runs (sink, run_pk, accepted_position) SELECT $s, run_pk, accepted_position FROM runs WHERE accepted_position > 0
                ON CONFLICT DO NOTHING
                """, ("$s", sink));
        }
        transaction.Commit();
        return 0;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PendingRun>> ClaimPendingRunsAsync(string sink, string owner, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var claimed = await WriteAsync(connection =>
        {
            using var command = Command(connection, """
                UPDATE sink_runs SET lease_owner = $owner, lease_until = $until
                WHERE sink = $s AND run_pk IN (
                    SELECT run_pk FROM sink_runs
                    WHERE sink = $s AND accepted_position > applied_position AND (lease_until <= $now OR lease_owner = $owner)
                    ORDER BY lease_until LIMIT $limit)
                RETURNING run_pk, applied_position, accepted_position
                """, ("$s", sink), ("$owner", owner), ("$until", now + (long)lease.TotalMilliseconds), ("$now", now), ("$limit", limit));
            using var reader = command.ExecuteReader();
            var rows = new List<(long RunPk, long Applied, long Accepted)>();
            while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            return rows;
        }, cancellationToken);
        if (claimed.Count == 0) return [];
        // The claimed runs' names in one statement, not one per run.
        using var read = Open();
        using var names = Command(read, """
            SELECT r.run_pk, j.job_name, r.run_id FROM runs r JOIN jobs j ON j.job_pk = r.job_pk WHERE r.run_pk IN (SELECT value FROM json_each($pks))
            """, ("$pks", "[" + string.Join(',', claimed.Select(c => c.RunPk)) + "]"));
        using var reader = names.ExecuteReader();
        var keys = new Dictionary<long, RunKey>();
        while (reader.Read()) keys[reader.GetInt64(0)] = new RunKey(reader.GetString(1), reader.GetString(2));
        return [.. claimed.Where(c => keys.ContainsKey(c.RunPk)).Select(c => new PendingRun(c.RunPk, keys[c.RunPk], c.Applied, c.Accepted))];
    }

    /// <inheritdoc/>
    public Task<AcceptedEvents> ReadAcceptedAsync(long runPk, long afterPosition, int maxEvents, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var payloads = new List<(long Position, string Seqs, long From, long To)>();
        using (var positions = Command(connection, """
                   SELECT position, seqs, event_count, coalesce(min_generated_at, -9223372036854775808), coalesce(max_generated_at, 9223372036854775807)
                   FROM accepted WHERE run_pk = $r AND position > $after ORDER BY position
                   """, ("$r", runPk), ("$after", afterPosition)))
        using (var reader = positions.ExecuteReader())
        {
            var count = 0;
            while (count < maxEvents && reader.Read())
            {
                payloads.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(3), reader.GetInt64(4)));
                count += reader.GetInt32(2);
            }
        }
        var events = new List<AcceptedEvent>();
        var codec = _decoders.Rent();
        try
        {
            // The events' key is (run, time, seq): the payload's time range bounds the scan, its seqs pick the rows in it.
            // (Positions backfilled at migration have no range and scan the run.)
            using var select = Command(connection, """
                SELECT e.seq, e.generated_at, t.name, e.data FROM events e JOIN event_types t ON t.type_id = e.type_id
                WHERE e.run_pk = $r AND e.generated_at BETWEEN $from AND $to AND e.seq IN (SELECT value FROM json_each($seqs))
                    AND e.archive_line IS NULL
                ORDER BY e.generated_at, e.seq
                """, ("$r", runPk), ("$seqs", ""), ("$from", 0L), ("$to", 0L));
            foreach (var (position, seqs, from, to) in payloads)
            {
                select.Parameters["$seqs"].Value = seqs;
                select.Parameters["$from"].Value = from;
                select.Parameters["$to"].Value = to;
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    var json = codec.Decode((byte[])reader.GetValue(3)).ToArray();
                    events.Add(new AcceptedEvent(position, reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), json));
                }
            }
        }
        finally
        {
            _decoders.Return(codec);
        }
        return Task.FromResult(new AcceptedEvents(events, payloads.Count > 0 ? payloads[^1].Position : afterPosition));
    }

    /// <inheritdoc/>
    public Task MarkAppliedAsync(string sink, string owner, IReadOnlyList<AppliedRun> applied, CancellationToken cancellationToken = default) => WriteAsync(connection =>
    {
        if (applied.Count == 0) return 0;
        using var transaction = connection.BeginTransaction(deferred: false);
        // The lease ends "now", so the run sorts behind runs that waited longer the next time it is pending.
        using var mark = Command(connection, """
            UPDATE sink_runs SET applied_position = max(applied_position, $p), lease_owner = NULL, lease_until = $now
            WHERE sink = $s AND run_pk = $r
            """, ("$s", sink), ("$r", 0L), ("$p", 0L), ("$now", Now()));
        foreach (var run in applied)
        {
            mark.Parameters["$r"].Value = run.RunPk;
            mark.Parameters["$p"].Value = run.Position;
            mark.ExecuteNonQuery();
        }
        transaction.Commit();
        return 0;
    }, cancellationToken);

    /// <summary>A sink's lag: its pending runs, their events and the oldest accept time (read from <c>accepted_counts</c>).</summary>
    internal const string LagQuery = """
        SELECT count(DISTINCT w.run_pk), coalesce(sum(a.event_count), 0), min(a.accepted_at)
        FROM sink_runs w JOIN accepted a ON a.run_pk = w.run_pk AND a.position > w.applied_position
        WHERE w.sink = $s AND w.accepted_position > w.applied_position
        """;

    /// <inheritdoc/>
    public Task<SinkLag> LagAsync(string sink, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, LagQuery, ("$s", sink));
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult(new SinkLag(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
    }

    /// <summary>
    /// Runs a sink's write (cursors, leases, the model, the search index) on the writer connection, between group commits.
    /// It commits without syncing the log (<c>synchronous = NORMAL</c>): a sink's effect is rebuilt from its cursor, so it
    /// needs atomicity, not durability of its own. The write-ahead log is appended in commit order and the next ingest
    /// commit syncs it whole, so a power loss can only drop the sinks' writes made after the last acknowledged payload
    /// (they are applied again), never tear one or reorder it.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("The store is not initialised.");
        await _writerTurns.EnterAsync(commit: false, cancellationToken);
        var relaxed = _options.Synchronous != SqliteSynchronous.Normal;
        try
        {
            if (relaxed) SqliteSchema.Execute(writer, "PRAGMA synchronous = NORMAL;");
            return write(writer);
        }
        finally
        {
            if (relaxed) SqliteSchema.Execute(writer, $"PRAGMA synchronous = {_options.Synchronous.ToString().ToUpperInvariant()};");
            _writerTurns.Exit();
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }
}
