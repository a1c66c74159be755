using System.Collections.Concurrent;
using Npgsql;

namespace Sparkwatch.Testing;

/// <summary>
/// Which store the HTTP suites run against: SQLite by default, PostgreSQL when <c>SPARKWATCH_TEST_STORE=postgres</c>
/// (the test command runs the suites once each way). With PostgreSQL each data folder gets its own schema, so a
/// server restarted over the same folder finds its data again.
/// </summary>
public static class TestStore
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Schemas = new();

    /// <summary>True when the suites run against PostgreSQL.</summary>
    public static bool IsPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable("SPARKWATCH_TEST_STORE"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The server arguments that select the store for a server over <paramref name="dataDirectory"/>.</summary>
    public static async Task<string[]> ServerArgsAsync(string dataDirectory)
    {
        if (!IsPostgres) return [];
        var connectionString = await ConnectionStringAsync(dataDirectory);
        return ["--store", "postgres", $"--Sparkwatch:Postgres:ConnectionString={connectionString}"];
    }

    /// <summary>Makes the store of <paramref name="dataDirectory"/> unreadable: its files deleted, or its schema dropped.</summary>
    public static async Task BreakAsync(string dataDirectory)
    {
        if (!IsPostgres)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(dataDirectory)) File.Delete(file);
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync(dataDirectory));
        await using var connection = new NpgsqlConnection((await PrivatePostgres.InstanceAsync()).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA {builder.SearchPath} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<string> ConnectionStringAsync(string dataDirectory) =>
        Schemas.GetOrAdd(Path.GetFullPath(dataDirectory), _ => new Lazy<Task<string>>(async () => await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync())).Value;
}
