using BenchmarkDotNet.Attributes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.MicroBench;

/// <summary>The run queries behind <c>/duration</c> and <c>/job/{job}</c>, on a store of 1,000 runs of one job.</summary>
[MemoryDiagnoser]
public class RunQueryBenchmarks
{
    private const int Runs = 1_000;
    private readonly ListenerPayloadDecoder _decoder = new(EventNormalizer.Default, 4096);
    private TempStore _temp = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _temp = await TempStore.CreateAsync(path => new SqliteStoreOptions { Path = path, Synchronous = SqliteSynchronous.Normal });
        var body = RealEvents.InflatedBody(100);
        var batches = new List<IngestBatch>();
        for (var i = 0; i < Runs; i++)
        {
            var decoded = _decoder.Decode(body, 0);
            batches.Add(new IngestBatch(new RunKey("micro-bench", $"run-{i}"), 1, 0, decoded.Events, decoded.Quarantined, 0, decoded.MessageCount));
        }
        await _temp.Store.AppendAsync(batches);
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _temp.DisposeAsync();

    /// <summary>What <c>/duration</c> asks the store: one run's facts.</summary>
    [Benchmark]
    public async Task<long> GetRun()
    {
        var facts = await _temp.Store.GetRunAsync(new RunKey("micro-bench", $"run-{_next++ % Runs}"));
        return facts!.EventCount;
    }

    /// <summary>What <c>/job/{job}</c> asks the store: the newest 100 runs (the default page) of the job.</summary>
    [Benchmark]
    public async Task<int> ListRuns()
    {
        var runs = await _temp.Store.ListRunsAsync("micro-bench", null, 100);
        return runs!.Count;
    }
}
