using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.MicroBench;

/// <summary>A SQLite store over a file in a fresh temp folder, deleted with the store.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sparkwatch-microbench", Guid.NewGuid().ToString("N"));

    private TempStore(Func<string, SqliteStoreOptions> options)
    {
        Directory.CreateDirectory(_folder);
        Store = new SqliteEventStore(options(Path.Combine(_folder, "sparkwatch.db")));
    }

    public SqliteEventStore Store { get; }

    /// <summary>Creates and initialises the store; <paramref name="options"/> gets the database path.</summary>
    public static async Task<TempStore> CreateAsync(Func<string, SqliteStoreOptions> options)
    {
        var temp = new TempStore(options);
        await temp.Store.InitializeAsync();
        return temp;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
