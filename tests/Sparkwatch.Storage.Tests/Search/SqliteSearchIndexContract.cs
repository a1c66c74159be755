using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>The search contract on SQLite (FTS5) over a file in a temp folder.</summary>
public sealed class SqliteSearchIndexContract : SearchIndexContract, IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(_folder.Path, "sparkwatch.db") }));

    public void Dispose() => _folder.Dispose();
}
