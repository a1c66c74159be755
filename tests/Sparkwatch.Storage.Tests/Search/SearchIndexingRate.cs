using System.Diagnostics;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;
using Sparkwatch.Sinks.Search;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Postgres;
using Sparkwatch.Storage.Search;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;
using Xunit.Abstractions;
using static Sparkwatch.Storage.Tests.Payloads;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>
/// How fast the search sink indexes the shared logs (every log as <see cref="Copies"/> runs), on each engine; the rate
/// is written to the test output (<c>--logger "console;verbosity=detailed"</c>). Store appends are not timed.
/// </summary>
public sealed class SearchIndexingRate(ITestOutputHelper output) : IDisposable
{
    private const int Copies = 10;
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    [Fact]
    public async Task The_sink_indexes_every_run_of_the_shared_logs_on_SQLite() =>
        await MeasureAsync("SQLite", new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(_folder.Path, "sparkwatch.db") }));

    [Fact]
    public async Task The_sink_indexes_every_run_of_the_shared_logs_on_PostgreSQL() =>
        await MeasureAsync("PostgreSQL", new PostgresEventStore(new PostgresStoreOptions { ConnectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync() }));

    public void Dispose() => _folder.Dispose();

    private async Task MeasureAsync(string engine, IEventStore store)
    {
        await using var _ = store;
        await store.InitializeAsync();
        var sink = new SearchSink((ISearchIndex)store);
        var runs = new List<(PendingRun Run, List<AcceptedEvent> Events)>();
        foreach (var path in SparkEventLog.SharedLogPaths())
        {
            var log = SparkEventLog.Read(path);
            for (var copy = 0; copy < Copies; copy++)
            {
                var run = new RunKey($"rate-{copy}", log.AppId);
                var (messages, events) = SearchFeed.Of(log.Lines);
                await store.AppendAsync([Batch(run, messages.Count, 1, [.. messages])]);
                var runPk = (await ((IRunModelReader)store).FindRunsAsync(log.AppId, run.JobName, CancellationToken.None)).Single().RunPk;
                runs.Add((new PendingRun(runPk, run, 0, 1), events));
            }
        }

        var extract = Stopwatch.StartNew();
        var documents = runs.Sum(r => r.Events.Sum(e => SearchExtractor.Extract(e).Count()));
        extract.Stop();
        var index = Stopwatch.StartNew();
        foreach (var (run, events) in runs)
        {
            foreach (var chunk in events.Chunk(5000)) await sink.ApplyAsync(run, chunk, CancellationToken.None);
        }
        index.Stop();

        var total = runs.Sum(r => r.Events.Count);
        output.WriteLine($"{engine}: {total} events of {runs.Count} runs, {documents} documents; extraction alone {total / extract.Elapsed.TotalSeconds:F0} events/s; " +
            $"sink (extraction + index) {index.Elapsed.TotalMilliseconds:F0} ms = {total / index.Elapsed.TotalSeconds:F0} events/s, {documents / index.Elapsed.TotalSeconds:F0} documents/s");
        var hits = await ((ISearchIndex)store).SearchAsync(new SearchQuery(SearchTerms.Parse("RuntimeException"), null, null, null, null, 500, null));
        Assert.Equal(Copies, hits.Select(h => h.JobName).Distinct().Count());
    }
}
