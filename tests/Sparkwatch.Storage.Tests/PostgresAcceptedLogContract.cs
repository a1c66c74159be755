using Npgsql;
using Sparkwatch.Storage.Postgres;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The accepted stream's contract on PostgreSQL, over a fresh schema of the test run's private server.</summary>
public sealed class PostgresAcceptedLogContract : AcceptedLogContract
{
    private string? _connectionString;

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        _connectionString ??= await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        return new PostgresEventStore(new PostgresStoreOptions { ConnectionString = _connectionString });
    }

    protected override async Task UndoAcceptedMigrationAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            DROP TABLE IF EXISTS search_docs; DROP TABLE accepted; DROP TABLE sink_runs; DROP TABLE sinks; ALTER TABLE runs DROP COLUMN accepted_position;
            ALTER TABLE runs DROP COLUMN retained_position, DROP COLUMN retained_lines; ALTER TABLE events DROP COLUMN archive_line;
            DELETE FROM sparkwatch_schema WHERE version > 3;
            """, connection);
        await command.ExecuteNonQueryAsync();
    }
}
