using System.Text;
using System.Text.Json;
using Xunit.Abstractions;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Deploy.Tests.ScaleOut;
using Sparkwatch.EventLogs;
using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>
/// Two collectors publish to JetStream, two writers store into PostgreSQL, two sink processes archive and index what the
/// writers stored, while nats-server is killed and restarted and a writer and a sink process are killed: each run ends up
/// stored exactly as a direct embedded ingest stores it, archived once with the same events, indexed once.
/// </summary>
public sealed class CollectorsAndWritersOverJetStream(NatsFixture nats, ITestOutputHelper output) : IClassFixture<NatsFixture>
{
    [Fact]
    public async Task Every_acknowledged_event_is_stored_once_while_the_broker_restarts_and_a_writer_is_killed()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = ReplayedRuns.Payloads(batchSize: 20);
        // The reference: the same payloads ingested directly by the embedded default, while the cluster starts.
        var starting = JetStreamCluster.StartAsync(nats.Server.Url, BrokerArgs.NewName());
        var direct = IngestDirectlyAsync(runs);
        await Task.WhenAll(starting, direct).ContinueWith(_ => { }, TaskScheduler.Default);
        await using var cluster = await starting;
        await using var embedded = await direct;
        output.WriteLine($"{clock.Elapsed}: 4 processes ready, embedded ingest done");
        var total = runs.Values.Sum(p => p.Count);
        var listener = new PatientListener([.. cluster.Collectors.Select(c => c.Client)]);
        var sent = 0;
        var oneThird = new TaskCompletionSource();
        var twoThirds = new TaskCompletionSource();

        // One stream per run, as each driver's listener sends; payloads alternate between the collectors.
        var streams = runs.Values.Select(async (payloads, r) =>
        {
            for (var i = 0; i < payloads.Count; i++)
            {
                await listener.SendAsync(payloads[i], first: (r + i) % 2);
                var done = Interlocked.Increment(ref sent);
                if (done == total / 3) oneThird.TrySetResult();
                if (done == 2 * total / 3) twoThirds.TrySetResult();
            }
        }).ToList();
        await oneThird.Task.WaitAsync(TimeSpan.FromMinutes(1));
        nats.Server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await nats.Server.RestartAsync();
        await twoThirds.Task.WaitAsync(TimeSpan.FromMinutes(1));
        cluster.Writers[0].Kill();
        cluster.Sinks[0].Kill();
        await Task.WhenAll(streams).WaitAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"{clock.Elapsed}: {total} payloads acknowledged, {listener.Unavailable} answers 503");
        Assert.True(listener.Unavailable > 0, "no collector answered 503 while nats-server was down");
        foreach (var run in runs.Keys)
        {
            var reference = await ReplayedRuns.ReadAsync(embedded.Client, run);
            Assert.Equal(ReplayedRuns.ExpectedEvents(runs[run]), reference);
            Assert.Equal(reference, await StoredEventuallyAsync(cluster.Query.Client, run, reference.Count));
        }
        output.WriteLine($"{clock.Elapsed}: every run stored as the embedded ingest stores it");

        // The surviving sink process takes over the killed one's runs once their leases end.
        await SinksCaughtUpAsync(cluster.Query.Client, "archive", "search");
        // Each run archived once with exactly its events. Writers store a run's payloads in whatever order they take them,
        // and the archive keeps that acceptance order, so the events are compared as sets here (docs/archive.md).
        var stored = new List<string>();
        foreach (var run in runs.Keys) stored.Add(EventSet(await ReplayedRuns.ReadAsync(cluster.Query.Client, run)));
        stored.Sort(StringComparer.Ordinal);
        // Runs still live (no application end) reach the archive's parts within the roll interval (2 s here).
        Assert.Equal(stored, await ArchivedEventuallyAsync(cluster.ArchivePath, stored));
        foreach (var run in runs.Keys) await AssertIndexedOnceAsync(cluster.Query.Client, run);
        output.WriteLine($"{clock.Elapsed}: every run archived once with its events, its application start indexed once");
        Assert.True((await cluster.Writers[^1].Client.GetAsync("/health/ready")).IsSuccessStatusCode, "the surviving writer is not ready");
    }

    private static string EventSet(IEnumerable<string> events) => string.Join('\n', events.Order(StringComparer.Ordinal));

    /// <summary>Each archived log's events (one string per log), sorted, once they equal <paramref name="expected"/> or after 30 s.</summary>
    private static async Task<List<string>> ArchivedEventuallyAsync(string archive, List<string> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var archived = EventLogFiles.Discover(archive)
                .Select(log => EventSet(EventLogFiles.ReadLines(log).Select(l => Encoding.UTF8.GetString(l.Span)))).Order(StringComparer.Ordinal).ToList();
            if (archived.SequenceEqual(expected) || DateTime.UtcNow > deadline) return archived;
            await Task.Delay(250);
        }
    }

    private static async Task SinksCaughtUpAsync(HttpClient query, params string[] sinks)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var doc = JsonDocument.Parse(await query.GetStringAsync("/sinks"));
            var lags = doc.RootElement.EnumerateArray().Where(s => sinks.Contains(s.GetProperty("name").GetString())).ToList();
            if (lags.Count == sinks.Length && lags.All(s => s.GetProperty("lag_events").GetInt64() == 0)) return;
            Assert.True(DateTime.UtcNow < deadline, $"sinks not caught up: {doc.RootElement}");
            await Task.Delay(250);
        }
    }

    /// <summary>The run's application start is found once by the first word of its name, in its field App Name.</summary>
    private static async Task AssertIndexedOnceAsync(HttpClient query, RunKey run)
    {
        using var facts = JsonDocument.Parse(await query.GetStringAsync($"/job/{Uri.EscapeDataString(run.JobName)}/{Uri.EscapeDataString(run.RunId)}"));
        if (!facts.RootElement.TryGetProperty("app_name", out var name) || name.GetString() is not { Length: > 0 } appName) return;
        var word = appName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        using var hits = JsonDocument.Parse(await query.GetStringAsync(
            $"/search?q={Uri.EscapeDataString(word)}&job={Uri.EscapeDataString(run.JobName)}&type=SparkListenerApplicationStart&limit=500"));
        var own = hits.RootElement.GetProperty("hits").EnumerateArray()
            .Count(h => h.GetProperty("run_id").GetString() == run.RunId && h.GetProperty("field").GetString() == "App Name");
        Assert.Equal(1, own);
    }

    private static async Task<ServerUnderTest> IngestDirectlyAsync(Dictionary<RunKey, List<string>> runs)
    {
        var embedded = await ServerUnderTest.StartAsync(null, "--store", "sqlite");
        try
        {
            foreach (var payload in runs.Values.SelectMany(p => p)) await new ListenerClient(embedded.Client).PostOkAsync(payload);
            return embedded;
        }
        catch
        {
            await embedded.DisposeAsync();
            throw;
        }
    }

    /// <summary>The run's events once the writers have stored as many as expected (reads are eventually consistent), or after 60 s.</summary>
    private static async Task<List<string>> StoredEventuallyAsync(HttpClient query, RunKey run, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await query.GetAsync($"/job/{Uri.EscapeDataString(run.JobName)}/{Uri.EscapeDataString(run.RunId)}/events");
            var events = response.IsSuccessStatusCode ? (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList() : [];
            if (events.Count >= expected || DateTime.UtcNow > deadline) return events;
            await Task.Delay(250);
        }
    }
}
