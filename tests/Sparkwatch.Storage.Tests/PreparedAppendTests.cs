using System.Text;
using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Compression;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>
/// Events compressed on the request's thread (<see cref="IEventStore.PrepareAppend"/>) are what the one writer stores;
/// forms made for another format are made again; either way the events read back as they came.
/// </summary>
public sealed class PreparedAppendTests : IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();
    private readonly RunKey _run = new("job", "run-1");
    private readonly List<string> _lines = [.. File.ReadLines(Path.Combine(TestPaths.SparkEvents, "local-1430917381534")).Where(l => l.StartsWith('{')).Take(30)];
    private string DatabasePath => Path.Combine(_folder.Path, "sparkwatch.db");

    [Fact]
    public async Task The_writer_stores_the_forms_prepared_before_it()
    {
        using var batch = Batch();
        // A form the writer's own codec would not make (level 19, not 3), so that only the prepared one can be in the row.
        using var level19 = new StoredEventCodec(19);
        var forms = new StoredForms(format: 3, batch.MessageCount);
        var expected = new List<byte[]>();
        foreach (var e in batch.Events)
        {
            var form = level19.Encode(e.Json.Span);
            expected.Add(form.ToArray());
            forms.Add(e, form);
        }
        batch.AttachStoredForms(forms);
        Assert.NotEqual(expected, WriterForms(level: 3, batch));

        await using var store = await OpenAsync(level: 3);
        await store.AppendAsync([batch]);

        Assert.Equal(expected, StoredRows());
        Assert.Equal(_lines, await ReadAsync(store));
    }

    [Fact]
    public async Task Forms_prepared_for_another_level_are_made_again_by_the_writer()
    {
        await using (var other = await OpenAsync(level: 3, "other.db"))
        {
            using var batch = Batch();
            other.PrepareAppend(batch);
            Assert.NotNull(batch.StoredForms);
            await using var store = await OpenAsync(level: 0);
            await store.AppendAsync([batch]);
            Assert.Equal(_lines, await ReadAsync(store));
        }
        Assert.All(StoredRows(), row => Assert.Equal((byte)'{', row[0]));
    }

    [Fact]
    public async Task Prepared_and_unprepared_batches_store_the_same_bytes()
    {
        await using var store = await OpenAsync(level: 3);
        using var prepared = Batch();
        store.PrepareAppend(prepared);
        await store.AppendAsync([prepared]);
        var preparedRows = StoredRows();

        await using var plainStore = await OpenAsync(level: 3, "plain.db");
        using var plain = Batch();
        await plainStore.AppendAsync([plain]);

        Assert.Equal(StoredRows("plain.db"), preparedRows);
        Assert.All(preparedRows, row => Assert.Equal(StoredEventCodec.ZstdDictionaryV1, row[0]));
        Assert.Equal(_lines, await ReadAsync(store));
    }

    private IngestBatch Batch() => Payloads.Batch(_run, _lines.Count, 1, [.. _lines.Select((l, i) => Message.Event(1000 + i, l))]);

    private static List<byte[]> WriterForms(int level, IngestBatch batch)
    {
        using var codec = new StoredEventCodec(level);
        return [.. batch.Events.Select(e => codec.Encode(e.Json.Span).ToArray())];
    }

    private async Task<SqliteEventStore> OpenAsync(int level, string file = "sparkwatch.db")
    {
        var store = new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(_folder.Path, file), EventCompressionLevel = level });
        await store.InitializeAsync();
        return store;
    }

    private async Task<List<string>> ReadAsync(SqliteEventStore store)
    {
        var read = new List<string>();
        await foreach (var e in store.ReadEventsAsync(_run)) read.Add(Encoding.UTF8.GetString(e.Span));
        return read;
    }

    private List<byte[]> StoredRows(string file = "sparkwatch.db")
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, file)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM events ORDER BY seq";
        using var reader = command.ExecuteReader();
        var rows = new List<byte[]>();
        while (reader.Read()) rows.Add((byte[])reader.GetValue(0));
        return rows;
    }

    public void Dispose() => _folder.Dispose();
}
