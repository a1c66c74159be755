namespace Sparkwatch.Storage.Accepted;

/// <summary>
/// The accepted stream's tables, one migration per engine:
/// <list type="bullet">
/// <item><c>runs.accepted_position</c>: the run's latest position;</item>
/// <item><c>accepted</c>: one row per (run, position) with the seqs of the events that payload stored (a JSON array in
/// SQLite, <c>bigint[]</c> in PostgreSQL), its accept time and event count;</item>
/// <item><c>sinks</c>: the registered sinks; <c>sink_runs</c>: per sink and run, the cursor (<c>applied_position</c>),
/// the run's latest position as of the last append, and the lease of the process applying it.</item>
/// </list>
/// Runs stored before the accepted stream existed get their events as positions of at most
/// <see cref="BackfillChunk"/> events each, in (generated_at, seq) order, so sinks registered later see them too.
/// </summary>
public static class AcceptedSchema
{
    /// <summary>Events per backfilled position.</summary>
    public const int BackfillChunk = 10_000;

    /// <summary>The SQLite migration.</summary>
    public static readonly string Sqlite = $"""
        ALTER TABLE runs ADD COLUMN accepted_position INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE accepted (
            run_pk      INTEGER NOT NULL,
            position    INTEGER NOT NULL,
            accepted_at INTEGER NOT NULL,
            event_count INTEGER NOT NULL,
            seqs        TEXT NOT NULL,
            PRIMARY KEY (run_pk, position)) WITHOUT ROWID;
        CREATE TABLE sinks (
            name          TEXT NOT NULL PRIMARY KEY,
            registered_at INTEGER NOT NULL);
        CREATE TABLE sink_runs (
            sink               TEXT NOT NULL,
            run_pk             INTEGER NOT NULL,
            applied_position   INTEGER NOT NULL DEFAULT 0,
            accepted_position  INTEGER NOT NULL,
            lease_owner        TEXT,
            lease_until        INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (sink, run_pk)) WITHOUT ROWID;
        CREATE INDEX sink_runs_pending ON sink_runs (sink, lease_until) WHERE accepted_position > applied_position;
        INSERT INTO accepted (run_pk, position, accepted_at, event_count, seqs)
            SELECT c.run_pk, c.chunk + 1, r.last_seen_at, count(*), json_group_array(c.seq)
            FROM (SELECT run_pk, seq, (row_number() OVER (PARTITION BY run_pk ORDER BY generated_at, seq) - 1) / {BackfillChunk} AS chunk FROM events) c
            JOIN runs r ON r.run_pk = c.run_pk
            GROUP BY c.run_pk, c.chunk;
        UPDATE runs SET accepted_position = coalesce((SELECT max(position) FROM accepted a WHERE a.run_pk = runs.run_pk), 0);
        """;

    /// <summary>
    /// SQLite's events are keyed by (run, time, seq) with no index by seq, so a position keeps the time range of its
    /// events for reading them back without scanning the run. Positions from before it have none (NULL: the whole run).
    /// </summary>
    public const string SqliteTimeRange = """
        ALTER TABLE accepted ADD COLUMN min_generated_at INTEGER;
        ALTER TABLE accepted ADD COLUMN max_generated_at INTEGER;
        """;

    /// <summary>
    /// A sink's lag (<c>/sinks</c>, the sink runner's own measure) sums the event counts of every position it has not
    /// applied. Read from the table, that walks each position's whole row, seqs included (about 1 KB for a payload of
    /// 100 events); this index holds just what the sum reads, about 30 bytes a position.
    /// </summary>
    public const string SqliteLagIndex = "CREATE INDEX accepted_counts ON accepted (run_pk, position, event_count, accepted_at);";

    /// <summary>The PostgreSQL migration.</summary>
    public static readonly string Postgres = $"""
        ALTER TABLE runs ADD COLUMN accepted_position bigint NOT NULL DEFAULT 0;
        CREATE TABLE accepted (
            run_pk      bigint NOT NULL,
            position    bigint NOT NULL,
            accepted_at bigint NOT NULL,
            event_count integer NOT NULL,
            seqs        bigint[] NOT NULL,
            PRIMARY KEY (run_pk, position));
        CREATE TABLE sinks (
            name          text COLLATE "C" NOT NULL PRIMARY KEY,
            registered_at bigint NOT NULL);
        CREATE TABLE sink_runs (
            sink               text COLLATE "C" NOT NULL,
            run_pk             bigint NOT NULL,
            applied_position   bigint NOT NULL DEFAULT 0,
            accepted_position  bigint NOT NULL,
            lease_owner        text,
            lease_until        bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (sink, run_pk));
        CREATE INDEX sink_runs_pending ON sink_runs (sink, lease_until) WHERE accepted_position > applied_position;
        INSERT INTO accepted (run_pk, position, accepted_at, event_count, seqs)
            SELECT c.run_pk, c.chunk + 1, r.last_seen_at, count(*), array_agg(c.seq)
            FROM (SELECT run_pk, seq, (row_number() OVER (PARTITION BY run_pk ORDER BY generated_at, seq) - 1) / {BackfillChunk} AS chunk FROM events) c
            JOIN runs r ON r.run_pk = c.run_pk
            GROUP BY c.run_pk, c.chunk, r.last_seen_at;
        UPDATE runs SET accepted_position = coalesce((SELECT max(position) FROM accepted a WHERE a.run_pk = runs.run_pk), 0);
        """;
}
