using Microsoft.Data.Sqlite;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The accepted stream's contract on the embedded SQLite store.</summary>
public sealed class SqliteAcceptedLogContract : AcceptedLogContract, IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();
    private string DatabasePath => Path.Combine(_folder.Path, "sparkwatch.db");

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteStoreOptions { Path = DatabasePath }));

    protected override Task UndoAcceptedMigrationAsync()
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs; DROP TABLE accepted; DROP TABLE sink_runs; DROP TABLE sinks; ALTER TABLE runs DROP COLUMN accepted_position;
            ALTER TABLE runs DROP COLUMN retained_position; ALTER TABLE runs DROP COLUMN retained_lines; ALTER TABLE events DROP COLUMN archive_line;
            PRAGMA user_version = 3;
            """;
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_lag_sums_the_positions_counts_from_their_index_not_from_the_rows_with_their_seqs()
    {
        await ((IAcceptedLog)Store).RegisterSinkAsync("s");
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteEventStore.LagQuery;
        command.Parameters.AddWithValue("$s", "s");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read()) plan.Add(reader.GetString(3));
        Assert.Contains(plan, step => step.Contains("COVERING INDEX accepted_counts", StringComparison.Ordinal));
    }

    private SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        return connection;
    }

    public void Dispose() => _folder.Dispose();
}
