using Npgsql;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Compression;
using Sparkwatch.Storage.Postgres;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The PostgreSQL store keeps events in the same compressed form as SQLite and reads older JSON rows too.</summary>
public sealed class PostgresStoresEventsCompressed
{
    [Fact]
    public async Task Events_stored_before_and_after_compression_read_back_identical()
    {
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        var run = new RunKey("job", "run-1");
        var lines = File.ReadLines(Path.Combine(TestPaths.SparkEvents, "local-1430917381534")).Where(l => l.StartsWith('{')).Take(40).ToList();
        foreach (var level in new[] { 0, 3 })
        {
            await using var writer = new PostgresEventStore(new PostgresStoreOptions { ConnectionString = connectionString, EventCompressionLevel = level });
            await writer.InitializeAsync();
            // Even lines uncompressed, odd lines compressed; the counter gives line i the seq i + 1.
            foreach (var i in Enumerable.Range(0, lines.Count).Where(i => i % 2 == level % 2))
            {
                await writer.AppendAsync([Payloads.Batch(run, i + 1, 1, Message.Event(1000 + i, lines[i]))]);
            }
        }

        await using var store = new PostgresEventStore(new PostgresStoreOptions { ConnectionString = connectionString });
        var read = new List<string>();
        await foreach (var e in store.ReadEventsAsync(run)) read.Add(System.Text.Encoding.UTF8.GetString(e.Span));
        Assert.Equal(lines, read);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT array_agg(DISTINCT get_byte(data, 0) ORDER BY get_byte(data, 0)) FROM events", connection);
        var firstBytes = (int[])(await command.ExecuteScalarAsync())!;
        Assert.Equal(new[] { StoredEventCodec.ZstdDictionaryV1, (int)'{' }, firstBytes);
    }
}
