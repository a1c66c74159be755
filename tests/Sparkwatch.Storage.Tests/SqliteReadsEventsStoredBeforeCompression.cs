using System.Text;
using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>A database written without compression keeps serving its events once compression is on, mixed in one run.</summary>
public sealed class SqliteReadsEventsStoredBeforeCompression : IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();
    private string DatabasePath => Path.Combine(_folder.Path, "sparkwatch.db");

    [Fact]
    public async Task Old_and_new_forms_in_one_run_read_back_identical_and_in_order()
    {
        var run = new RunKey("job", "run-1");
        var lines = File.ReadLines(Path.Combine(TestPaths.SparkEvents, "local-1430917381534")).Where(l => l.StartsWith('{')).Take(40).ToList();
        // Even lines before the upgrade, odd lines after; generated_at interleaves them.
        await AppendAsync(level: 0, run, lines, first: 0);
        await AppendAsync(level: 3, run, lines, first: 1);

        await using var store = new SqliteEventStore(new SqliteStoreOptions { Path = DatabasePath });
        await store.InitializeAsync();
        var read = new List<string>();
        await foreach (var e in store.ReadEventsAsync(run)) read.Add(Encoding.UTF8.GetString(e.Span));
        Assert.Equal(lines, read);
        Assert.Equal(["{", "\u0001"], StoredFirstBytes());
    }

    private async Task AppendAsync(int level, RunKey run, List<string> lines, int first)
    {
        await using var store = new SqliteEventStore(new SqliteStoreOptions { Path = DatabasePath, EventCompressionLevel = level });
        await store.InitializeAsync();
        // One payload per line; its counter gives line i the seq i + 1 whichever half it is in.
        foreach (var i in Enumerable.Range(0, lines.Count).Where(i => i % 2 == first))
        {
            await store.AppendAsync([Payloads.Batch(run, i + 1, 1, Message.Event(1000 + i, lines[i]))]);
        }
    }

    private List<string> StoredFirstBytes()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT substr(CAST(data AS TEXT), 1, 1) FROM events ORDER BY 1 DESC";
        using var reader = command.ExecuteReader();
        var firsts = new List<string>();
        while (reader.Read()) firsts.Add(reader.GetString(0));
        return firsts;
    }

    public void Dispose() => _folder.Dispose();
}
