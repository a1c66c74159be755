using Microsoft.Data.Sqlite;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>Creates and migrates the SQLite schema. Each migration runs once, in order, recorded in <c>PRAGMA user_version</c>.</summary>
internal static class SqliteSchema
{
    // Pages of 16 KiB keep a typical 2 KB event inside its B-tree page instead of on overflow pages.
    public const int PageSize = 16384;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            job_pk       INTEGER PRIMARY KEY,
            job_name     TEXT NOT NULL UNIQUE,
            run_count    INTEGER NOT NULL DEFAULT 0,
            last_seen_at INTEGER NOT NULL);
        CREATE TABLE runs (
            run_pk            INTEGER PRIMARY KEY,
            job_pk            INTEGER NOT NULL REFERENCES jobs(job_pk),
            run_id            TEXT NOT NULL,
            first_seen_at     INTEGER NOT NULL,
            last_seen_at      INTEGER NOT NULL,
            sort_time         INTEGER NOT NULL,
            event_count       INTEGER NOT NULL DEFAULT 0,
            quarantined_count INTEGER NOT NULL DEFAULT 0,
            max_seq           INTEGER NOT NULL DEFAULT 0,
            app_id            TEXT,
            app_name          TEXT,
            upload_complete   INTEGER NOT NULL DEFAULT 0,
            UNIQUE (job_pk, run_id));
        CREATE INDEX runs_newest_first ON runs (job_pk, sort_time DESC, run_id DESC);
        CREATE TABLE run_starts (
            run_pk     INTEGER NOT NULL,
            attempt_id TEXT NOT NULL,
            start_time INTEGER NOT NULL,
            PRIMARY KEY (run_pk, attempt_id)) WITHOUT ROWID;
        CREATE TABLE run_ends (
            run_pk   INTEGER NOT NULL,
            end_time INTEGER NOT NULL,
            PRIMARY KEY (run_pk, end_time)) WITHOUT ROWID;
        CREATE TABLE event_types (
            type_id INTEGER PRIMARY KEY,
            name    TEXT NOT NULL UNIQUE);
        CREATE TABLE events (
            run_pk       INTEGER NOT NULL,
            generated_at INTEGER NOT NULL,
            seq          INTEGER NOT NULL,
            type_id      INTEGER NOT NULL,
            data         BLOB NOT NULL,
            PRIMARY KEY (run_pk, generated_at, seq)) WITHOUT ROWID;
        CREATE UNIQUE INDEX events_once_per_seq ON events (run_pk, seq);
        CREATE INDEX events_by_type ON events (run_pk, type_id, generated_at, seq);
        CREATE TABLE quarantine (
            run_pk       INTEGER NOT NULL,
            seq          INTEGER NOT NULL,
            generated_at INTEGER NOT NULL,
            received_at  INTEGER NOT NULL,
            reason       TEXT NOT NULL,
            content      BLOB NOT NULL,
            PRIMARY KEY (run_pk, seq)) WITHOUT ROWID;
        """,
        // Streams and content hashes (exactly once across drivers and Delight retries). Rows stored before have no hash:
        // they are taken as equal to whatever arrives at their seq, as before.
        """
        ALTER TABLE events ADD COLUMN hash INTEGER;
        ALTER TABLE quarantine ADD COLUMN hash INTEGER;
        ALTER TABLE runs ADD COLUMN stream INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN last_payload_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN last_payload_hash INTEGER NOT NULL DEFAULT 0;
        -- A restarted driver without attempt ids starts again under the same (empty) attempt id: keep each start.
        CREATE TABLE run_starts_by_time (
            run_pk     INTEGER NOT NULL,
            attempt_id TEXT NOT NULL,
            start_time INTEGER NOT NULL,
            PRIMARY KEY (run_pk, attempt_id, start_time)) WITHOUT ROWID;
        INSERT INTO run_starts_by_time SELECT run_pk, attempt_id, start_time FROM run_starts;
        DROP TABLE run_starts;
        ALTER TABLE run_starts_by_time RENAME TO run_starts;
        """,
        ModelSchema.Sqlite,
        Accepted.AcceptedSchema.Sqlite,
        Search.SearchSchema.Sqlite,
        Accepted.AcceptedSchema.SqliteTimeRange,
        ModelSchema.EndIndex,
        Retention.RetentionSchema.Sqlite,
        Accepted.AcceptedSchema.SqliteLagIndex,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        Execute(connection, $"PRAGMA page_size = {PageSize}; PRAGMA journal_mode = WAL;");
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"));
        for (var i = version; i < Migrations.Length; i++)
        {
            Execute(connection, Migrations[i]);
        }
        if (version < Migrations.Length) Execute(connection, $"PRAGMA user_version = {Migrations.Length}");
        transaction.Commit();
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
