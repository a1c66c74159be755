using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>
/// The write-ahead log reaches the database file through a checkpoint on a thread of its own (<see cref="SqliteStoreOptions.CheckpointPages"/>):
/// in WAL mode the database file grows only when a checkpoint copies pages into it.
/// </summary>
public sealed class SqliteBackgroundCheckpointTests : IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();
    private string DatabasePath => Path.Combine(_folder.Path, "sparkwatch.db");

    [Fact]
    public async Task A_few_MB_of_events_reach_the_database_file_without_a_checkpoint_in_the_writer()
    {
        // 50 pages start the background checkpoint; the writer's own would start at 400 pages (6.4 MB), above what is written.
        var grown = await DatabaseGrowthAsync(checkpointPages: 50, wait: TimeSpan.FromSeconds(10));
        Assert.True(grown > 1_000_000, $"the database file grew by {grown} bytes");
    }

    [Fact]
    public async Task Without_it_the_same_events_wait_in_the_log_for_SQLite_s_own_threshold()
    {
        // The control: SQLite's default (1,000 pages, 16 MB) is not reached, so nothing is copied yet.
        var grown = await DatabaseGrowthAsync(checkpointPages: 0, wait: TimeSpan.FromSeconds(2));
        Assert.True(grown < 100_000, $"the database file grew by {grown} bytes");
    }

    [Fact]
    public async Task The_store_can_be_disposed_twice()
    {
        var store = new SqliteEventStore(new SqliteStoreOptions { Path = DatabasePath, CheckpointPages = 10 });
        await store.InitializeAsync();
        await store.DisposeAsync();
        await store.DisposeAsync();
    }

    /// <summary>Appends about 3 MB of uncompressed events, then how much the database file grew within <paramref name="wait"/>.</summary>
    private async Task<long> DatabaseGrowthAsync(int checkpointPages, TimeSpan wait)
    {
        await using var store = new SqliteEventStore(new SqliteStoreOptions { Path = DatabasePath, EventCompressionLevel = 0, CheckpointPages = checkpointPages });
        await store.InitializeAsync();
        var before = new FileInfo(DatabasePath).Length;
        var lines = File.ReadLines(Path.Combine(TestPaths.SparkEvents, "application_1538416563558_0014")).Where(l => l.StartsWith('{')).ToList();
        long written = 0, seq = 0;
        var run = new RunKey("job", "run-1");
        while (written < 3_000_000)
        {
            var messages = lines.Take(50).Select(l => Message.Event(1000 + seq, l)).ToArray();
            seq += messages.Length;
            using var batch = Payloads.Batch(run, seq, 1, messages);
            await store.AppendAsync([batch]);
            written += batch.EventBytes;
            lines = [.. lines.Skip(50), .. lines.Take(50)];
        }
        var deadline = DateTime.UtcNow + wait;
        long grown;
        do
        {
            await Task.Delay(100);
            grown = new FileInfo(DatabasePath).Length - before;
        }
        while (grown <= 1_000_000 && DateTime.UtcNow < deadline);
        return grown;
    }

    public void Dispose() => _folder.Dispose();
}
