using Npgsql;

namespace Sparkwatch.Storage.Postgres;

/// <summary>
/// Creates and migrates the PostgreSQL schema. Each migration runs once, in order, recorded in
/// <c>sparkwatch_schema</c>; a transaction-scoped advisory lock makes replicas that start together take turns.
/// </summary>
internal static class PostgresSchema
{
    // Any constant shared by every replica: the key of the advisory lock that serialises migrations.
    private const long MigrationLockKey = 0x5370_6172_6B77_6174; // "Sparkwat"

    // Names are compared in UTF-8 byte order (COLLATE "C"), the same order as SQLite's BINARY collation.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            job_pk       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_name     text COLLATE "C" NOT NULL UNIQUE,
            run_count    bigint NOT NULL DEFAULT 0,
            last_seen_at bigint NOT NULL);
        CREATE TABLE runs (
            run_pk            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_pk            bigint NOT NULL REFERENCES jobs (job_pk),
            run_id            text COLLATE "C" NOT NULL,
            first_seen_at     bigint NOT NULL,
            last_seen_at      bigint NOT NULL,
            sort_time         bigint NOT NULL,
            event_count       bigint NOT NULL DEFAULT 0,
            quarantined_count bigint NOT NULL DEFAULT 0,
            max_seq           bigint NOT NULL DEFAULT 0,
            app_id            text,
            app_name          text,
            upload_complete   boolean NOT NULL DEFAULT false,
            UNIQUE (job_pk, run_id));
        CREATE INDEX runs_newest_first ON runs (job_pk, sort_time DESC, run_id DESC);
        CREATE TABLE run_starts (
            run_pk     bigint NOT NULL,
            attempt_id text COLLATE "C" NOT NULL,
            start_time bigint NOT NULL,
            PRIMARY KEY (run_pk, attempt_id));
        CREATE TABLE run_ends (
            run_pk   bigint NOT NULL,
            end_time bigint NOT NULL,
            PRIMARY KEY (run_pk, end_time));
        CREATE TABLE event_types (
            type_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name    text NOT NULL UNIQUE);
        CREATE TABLE events (
            run_pk       bigint NOT NULL,
            generated_at bigint NOT NULL,
            seq          bigint NOT NULL,
            type_id      integer NOT NULL,
            data         bytea COMPRESSION lz4 NOT NULL,
            PRIMARY KEY (run_pk, generated_at, seq));
        CREATE UNIQUE INDEX events_once_per_seq ON events (run_pk, seq);
        CREATE INDEX events_by_type ON events (run_pk, type_id, generated_at, seq);
        CREATE TABLE quarantine (
            run_pk       bigint NOT NULL,
            seq          bigint NOT NULL,
            generated_at bigint NOT NULL,
            received_at  bigint NOT NULL,
            reason       text NOT NULL,
            content      bytea NOT NULL,
            PRIMARY KEY (run_pk, seq));
        """,
        // Streams and content hashes (exactly once across drivers and Delight retries). Rows stored before have no hash:
        // they are taken as equal to whatever arrives at their seq, as before.
        """
        ALTER TABLE events ADD COLUMN hash bigint;
        ALTER TABLE quarantine ADD COLUMN hash bigint;
        ALTER TABLE runs ADD COLUMN stream bigint NOT NULL DEFAULT 0,
            ADD COLUMN last_payload_count integer NOT NULL DEFAULT 0,
            ADD COLUMN last_payload_hash bigint NOT NULL DEFAULT 0;
        -- A restarted driver without attempt ids starts again under the same (empty) attempt id: keep each start.
        ALTER TABLE run_starts DROP CONSTRAINT run_starts_pkey, ADD PRIMARY KEY (run_pk, attempt_id, start_time);
        """,
        ModelSchema.Postgres,
        Accepted.AcceptedSchema.Postgres,
        Search.SearchSchema.Postgres,
        ModelSchema.EndIndex,
        Retention.RetentionSchema.Postgres,
    ];

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS sparkwatch_schema (version integer NOT NULL)", cancellationToken);
        await using var read = new NpgsqlCommand("SELECT max(version) FROM sparkwatch_schema", connection);
        var version = await read.ExecuteScalarAsync(cancellationToken) is int v ? v : 0;
        for (var i = version; i < Migrations.Length; i++)
        {
            await ExecuteAsync(connection, Migrations[i], cancellationToken);
            await ExecuteAsync(connection, $"INSERT INTO sparkwatch_schema (version) VALUES ({i + 1})", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
