using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The contract, on the embedded SQLite store over a file in a temp folder.</summary>
public sealed class SqliteEventStoreContract : EventStoreContract, IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(_folder.Path, "sparkwatch.db") }));

    public void Dispose() => _folder.Dispose();
}
