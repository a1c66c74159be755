using BenchmarkDotNet.Attributes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.MicroBench;

/// <summary>The SQLite store: appending a 1,000-event payload (one durable commit) and reading a 10,000-event run back.</summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int ReadRunEvents = 10_000;
    private readonly ListenerPayloadDecoder _decoder = new(EventNormalizer.Default, 4096);
    private TempStore _temp = null!;
    private byte[] _body = [];
    private int _run;

    [Params(SqliteSynchronous.Full, SqliteSynchronous.Normal)]
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>zstd level of stored events; 0 stores them uncompressed.</summary>
    [Params(0, 3)]
    public int EventCompressionLevel { get; set; } = 3;

    [GlobalSetup]
    public async Task Setup()
    {
        _temp = await TempStore.CreateAsync(path => new SqliteStoreOptions { Path = path, Synchronous = Synchronous, EventCompressionLevel = EventCompressionLevel });
        _body = RealEvents.InflatedBody(1000);
        for (var from = 0; from < ReadRunEvents; from += 1000)
        {
            // Ten payloads of the one run read below; counters make each a distinct range of seq.
            var batch = _decoder.Decode(RealEvents.InflatedBody(1000, "read-run"), 0);
            using var shifted = new IngestBatch(batch.Run, from + 1, 0, batch.Events, batch.Quarantined, 0, batch.MessageCount);
            await _temp.Store.AppendAsync([shifted]);
            batch.Dispose();
        }
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _temp.DisposeAsync();

    /// <summary>A decoded payload of 1,000 real events into a new run, committed durably.</summary>
    [Benchmark]
    public async Task<int> AppendPayloadOf1000Events()
    {
        using var decoded = _decoder.Decode(_body, 0);
        using var batch = new IngestBatch(new RunKey("micro-bench", $"append-{_run++}"), 1, 0, decoded.Events, decoded.Quarantined, 0, decoded.MessageCount);
        var results = await _temp.Store.AppendAsync([batch]);
        return results[0].EventsStored;
    }

    /// <summary>Every event of a 10,000-event run, in order.</summary>
    [Benchmark]
    public async Task<long> ReadRunOf10000Events()
    {
        long bytes = 0;
        await foreach (var json in _temp.Store.ReadEventsAsync(new RunKey("micro-bench", "read-run"))) bytes += json.Length;
        return bytes;
    }
}
