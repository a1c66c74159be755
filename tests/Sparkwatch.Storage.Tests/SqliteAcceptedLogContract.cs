using Microsoft.Data.Sqlite;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The accepted stream's contract on the embedded SQLite store.</summary>
public sealed class SqliteAcceptedLogContract : AcceptedLogContract, IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(_folder.Path, "sparkwatch.db") }));

    protected override Task UndoAcceptedMigrationAsync()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "sparkwatch.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs; DROP TABLE accepted; DROP TABLE sink_runs; DROP TABLE sinks; ALTER TABLE runs DROP COLUMN accepted_position;
            ALTER TABLE runs DROP COLUMN retained_position; ALTER TABLE runs DROP COLUMN retained_lines; ALTER TABLE events DROP COLUMN archive_line;
            PRAGMA user_version = 3;
            """;
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public void Dispose() => _folder.Dispose();
}
