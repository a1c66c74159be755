using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Sparkwatch.Bench;

/// <summary>One sample of the server while a fill runs.</summary>
/// <param name="Seconds">Since the fill began.</param>
/// <param name="EventsAcked">Events the server had acknowledged.</param>
/// <param name="RssMb">The server's resident memory (VmRSS); null with <c>--url</c>.</param>
/// <param name="ModelLagEvents">Acknowledged events the model sink had not applied yet.</param>
/// <param name="ModelLagSeconds">Age of the oldest of them.</param>
internal sealed record FillSample(double Seconds, long EventsAcked, double? RssMb, long ModelLagEvents, double ModelLagSeconds);

/// <summary>A fill: what was sent, how fast, and the server's memory and model lag over time.</summary>
internal sealed record FillResult(string What, long Events, long RawBytes, double Seconds, double EventsPerSecond, double? PeakRssMb, double? ModelCaughtUpSeconds,
    IReadOnlyList<FillSample> Samples);

/// <summary>Latency of one request path: its first request (cold), then the samples after it.</summary>
internal sealed record PathLatency(string Name, string Path, int Bytes, double FirstMs, Percentiles Ms);

/// <summary>Everything the big-run scenario measured (issues 10 and 11).</summary>
internal sealed record BigRunResult(MachineInfo Machine, BenchOptions Options, FillResult? BigRun, IReadOnlyList<PathLatency> BigRunReads,
    FillResult? ManyRuns, IReadOnlyList<PathLatency> ManyRunsReads, IReadOnlyList<PagePaint> Pages);

/// <summary>
/// The scenario of issues 10 and 11: one run of 1,000,000 tasks streamed through <c>/collect</c> with the run model on
/// (server RSS and the model sink's lag sampled every second), then p50/p99 of the calls the dashboard and History
/// Server clients make on it; then 100,000 small runs in 100 jobs, and the applications page and the dashboard's job and
/// runs documents over them.
/// </summary>
internal sealed class BigRunBench(BenchOptions options, TextWriter log)
{
    public const string BigJob = "bench-big";
    public const string BigRunId = "big-1";
    public const string ManyJobPrefix = "bench-many-";

    public async Task<BigRunResult> RunAsync(string serverDll, string dataDir)
    {
        var server = options.Url is null ? await ServerProcess.StartAsync(serverDll, dataDir, options.ServerArgs) : null;
        try
        {
            var baseAddress = server?.BaseAddress ?? new Uri(options.Url!);
            using var http = BenchHarness.NewClient(baseAddress, TimeSpan.FromMinutes(10));
            var sinks = new SinkLagProbe(http);
            var shape = RunShape.Big(options.BigRunTasks);
            FillResult? big = null, many = null;
            if (!options.SkipFill && options.BigRunTasks > 0)
            {
                big = await FillAsync("one run of " + shape.Tasks.ToString("N0") + " tasks", http, sinks, server,
                    load => load.SendInOrderAsync(BigRunPayloads(shape), load.Acked));
            }
            var bigReads = options.BigRunTasks > 0 ? await MeasureAsync(http, BigRunPaths(shape)) : [];
            if (options.ManyRuns > 0 && !options.SkipFill)
            {
                many = await FillAsync($"{options.ManyRuns:N0} runs in {options.ManyRunsJobs} jobs", http, sinks, server, load => SendManyAsync(load));
            }
            var manyReads = options.ManyRuns > 0 ? await MeasureAsync(http, ManyRunsPaths()) : [];
            var pages = options.Paint ? await PaintProbe.MeasureAsync(baseAddress, PagesToPaint(), options.PaintLoads, () => server is null ? null : Math.Round(server.RssBytes / 1e6, 1), log) : [];
            return new BigRunResult(MachineInfo.Current(options.Url ?? serverDll), options, big, bigReads, many, manyReads, pages);
        }
        catch (Exception) when (server?.ExitReport is { } report)
        {
            throw new InvalidOperationException(report);
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
    }

    /// <summary>Sends through <paramref name="send"/> while sampling the server every second, then waits until the model sink has applied everything.</summary>
    private async Task<FillResult> FillAsync(string what, HttpClient http, SinkLagProbe sinks, ServerProcess? server, Func<AckedLoad, Task<LoadStats>> send)
    {
        log.WriteLine($"fill: {what}");
        var load = new AckedLoad(http);
        var samples = new List<FillSample>();
        var clock = Stopwatch.StartNew();
        async Task<FillSample> SampleAsync()
        {
            var model = (await sinks.ReadAsync()).FirstOrDefault(s => s.Name == "model");
            var sample = new FillSample(Math.Round(clock.Elapsed.TotalSeconds, 1), Interlocked.Read(ref load.EventsAcked),
                server is null ? null : Math.Round(server.RssBytes / 1e6, 1), model.Events, Math.Round(model.Seconds, 1));
            samples.Add(sample);
            if (samples.Count % 15 == 1) log.WriteLine($"  {sample.Seconds,7:0} s: {sample.EventsAcked,10:N0} events acked, RSS {sample.RssMb,6:0} MB, model lag {sample.ModelLagEvents,9:N0} events / {sample.ModelLagSeconds,6:0.0} s");
            return sample;
        }
        server?.ResetPeakRss();
        var sending = send(load);
        while (!sending.IsCompleted)
        {
            await SampleAsync();
            await Task.WhenAny(sending, Task.Delay(1000));
        }
        var stats = await sending;
        if (stats.Errors > 0) throw new InvalidOperationException($"{stats.Errors} payloads were refused during the fill ({what}).");
        var acked = clock.Elapsed;
        double? caughtUp = null;
        while (clock.Elapsed - acked < TimeSpan.FromMinutes(options.CatchUpMinutes))
        {
            var sample = await SampleAsync();
            if (sample.ModelLagEvents == 0)
            {
                caughtUp = (clock.Elapsed - acked).TotalSeconds;
                break;
            }
            await Task.Delay(1000);
        }
        var result = new FillResult(what, stats.Events, stats.RawBytes, stats.Seconds, stats.EventsPerSecond, server is null ? null : server.PeakRssBytes / 1e6, caughtUp, samples);
        log.WriteLine($"  sent {result.Events:N0} events ({result.RawBytes / 1e6:N0} MB of JSON) in {result.Seconds:0} s = {result.EventsPerSecond:N0} events/s; " +
            $"peak RSS {result.PeakRssMb:0} MB; model caught up {(caughtUp is { } c ? $"{c:0} s" : "not")} after the last ack");
        return result;
    }

    /// <summary>The big run's payloads of 1,000 events, generated and compressed on another thread while the previous ones are sent.</summary>
    private static async IAsyncEnumerable<Payload> BigRunPayloads(RunShape shape, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<Payload>(8);
        var producer = Task.Run(async () =>
        {
            var batch = new List<string>(1000);
            long sent = 0;
            var counter = 0;
            foreach (var line in SyntheticRun.Events(shape))
            {
                batch.Add(line);
                if (batch.Count < 1000) continue;
                await channel.Writer.WriteAsync(PayloadFactory.FromLines(BigJob, BigRunId, batch, sent, ++counter, shape.Start + sent / 3), ct);
                sent += batch.Count;
                batch.Clear();
            }
            if (batch.Count > 0) await channel.Writer.WriteAsync(PayloadFactory.FromLines(BigJob, BigRunId, batch, sent, ++counter, shape.Start + sent / 3), ct);
            channel.Writer.Complete();
        }, ct);
        await foreach (var payload in channel.Reader.ReadAllAsync(ct)) yield return payload;
        await producer;
    }

    /// <summary>Sends the small runs (one payload each) in chunks built just before they are sent, 8 senders.</summary>
    private async Task<LoadStats> SendManyAsync(AckedLoad load)
    {
        const int Chunk = 5_000;
        var all = new List<LoadStats>();
        for (var first = 0; first < options.ManyRuns; first += Chunk)
        {
            var runs = new IReadOnlyList<Payload>[Math.Min(Chunk, options.ManyRuns - first)];
            Parallel.For(0, runs.Length, i =>
            {
                var n = first + i;
                var shape = RunShape.Small($"app-many-{n:D6}", 1_600_000_000_000 + n * 60_000L);
                runs[i] = [PayloadFactory.FromLines(ManyJob(n), $"run-{n / options.ManyRunsJobs:D5}", [.. SyntheticRun.Events(shape)], 0, 1, shape.Start)];
            });
            var stats = await load.Generator.SendAsync(runs, options.Concurrency);
            load.Acked(Interlocked.Read(ref load.EventsAcked) + stats.Events);
            all.Add(stats);
        }
        return new LoadStats(all.Sum(s => s.Events), all.Sum(s => s.RawBytes), all.Sum(s => s.CompressedBytes), all.Sum(s => s.Payloads), all.Sum(s => s.Errors),
            all.Sum(s => s.EventsStored), all.Sum(s => s.Seconds), Percentiles.Of(all.Select(s => s.AckLatencyMs.P99)));
    }

    private long LastEnd => 1_600_000_000_000 + options.ManyRuns * 60_000L;

    private string ManyJob(int n) => $"{ManyJobPrefix}{n % options.ManyRunsJobs:D3}";

    private static List<(string Name, string Path)> BigRunPaths(RunShape shape)
    {
        var app = $"/api/v1/applications/{shape.AppId}";
        var sizes = shape.TasksPerStage();
        // Stage 0 is the largest map stage, stage 1 the largest reduce stage (skewed).
        return
        [
            ($"taskSummary, stage of {sizes[0]:N0} tasks", $"{app}/stages/0/0/taskSummary"),
            ($"taskSummary, stage of {sizes[1]:N0} tasks", $"{app}/stages/1/0/taskSummary"),
            ("taskSummary, Kubeflow's quantiles", $"{app}/stages/1/0/taskSummary?quantiles=0.01,0.5,0.99"),
            ("taskList?length=100&sortBy=-runtime", $"{app}/stages/1/0/taskList?length=100&sortBy=-runtime"),
            ("taskList?length=100 (by id)", $"{app}/stages/1/0/taskList?length=100"),
            ("taskList?offset=100000&length=100", $"{app}/stages/1/0/taskList?offset=100000&length=100"),
            ("stage attempt, withSummaries, no details", $"{app}/stages/1/0?details=false&withSummaries=true"),
            ("stages?withSummaries=true", $"{app}/stages?withSummaries=true"),
            ("stages", $"{app}/stages"),
            ("jobs", $"{app}/jobs"),
            ("allexecutors", $"{app}/allexecutors"),
            ("applications/{app}", app),
            ("dashboard run page (/ui/api/run)", $"/ui/api/run?job={BigJob}&run={BigRunId}"),
            ("dashboard run summary (/job/{job}/{run}/summary)", $"/job/{BigJob}/{BigRunId}/summary"),
        ];
    }

    private List<(string Name, string Hash)> PagesToPaint()
    {
        var pages = new List<(string, string)>();
        if (options.BigRunTasks > 0) pages.Add(($"run page, {options.BigRunTasks:N0} tasks", $"#/job/{BigJob}/run/{BigRunId}"));
        if (options.ManyRuns > 0) pages.AddRange([("jobs page", "#/"), ($"runs page, {options.ManyRuns / options.ManyRunsJobs:N0} runs", $"#/job/{ManyJob(7)}")]);
        return pages;
    }

    private List<(string Name, string Path)> ManyRunsPaths()
    {
        var job = ManyJob(7);
        var runs = string.Join(",", Enumerable.Range(0, 50).Select(i => $"run-{options.ManyRuns / options.ManyRunsJobs - 1 - i:D5}"));
        return
        [
            ("applications?limit=100", "/api/v1/applications?limit=100"),
            ("applications?status=completed&limit=100", "/api/v1/applications?status=completed&limit=100"),
            // Dr. Elephant polls for what completed since its last poll: the most recent day of the runs' ends.
            ("applications?status=completed&minEndDate=…&maxEndDate=… (Dr. Elephant)", $"/api/v1/applications?status=completed&minEndDate={LastEnd - 86_400_000}&maxEndDate={LastEnd}"),
            ("applications?job=…&limit=100", $"/api/v1/applications?job={job}&limit=100"),
            ("dashboard jobs (/ui/api/jobs)", "/ui/api/jobs"),
            ("dashboard runs of a job, first 50 (/ui/api/runs)", $"/ui/api/runs?job={job}&limit=50"),
            ("dashboard runs of a job, all (/ui/api/runs)", $"/ui/api/runs?job={job}"),
            ("dashboard stats of 50 runs (/ui/api/stats)", $"/ui/api/stats?job={job}&runs={runs}"),
            ("native runs of a job (/job/{job})", $"/job/{job}"),
        ];
    }

    /// <summary>Each path: one warm-up request (timed apart), then up to <c>--samples</c> sequential ones, fewer (at least 3) when they exceed the time budget per path.</summary>
    private async Task<List<PathLatency>> MeasureAsync(HttpClient http, List<(string Name, string Path)> paths)
    {
        var results = new List<PathLatency>();
        if (options.LatencySamples == 0) return results;
        foreach (var (name, path) in paths)
        {
            // One warm-up: the first request may compute what later ones read (a stage's task summary).
            var first = Stopwatch.StartNew();
            var bytes = await GetAsync(http, path);
            var firstMs = first.Elapsed.TotalMilliseconds;
            var samples = new List<double>();
            var budget = Stopwatch.StartNew();
            while (samples.Count < options.LatencySamples && (samples.Count < 3 || budget.Elapsed.TotalSeconds < options.SecondsPerPath))
            {
                var started = Stopwatch.GetTimestamp();
                await GetAsync(http, path);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var latency = new PathLatency(name, path, bytes, Math.Round(firstMs, 1), Percentiles.Of(samples));
            results.Add(latency);
            log.WriteLine($"  {name,-52} first {firstMs,9:0.0} ms, then {latency.Ms}  {bytes / 1024.0,9:N1} KiB");
        }
        return results;
    }

    private static async Task<int> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        return body.Length;
    }

    /// <summary>A load generator with a running count of acknowledged events, for the sampler.</summary>
    private sealed class AckedLoad(HttpClient http)
    {
        public long EventsAcked;

        public LoadGenerator Generator { get; } = new(http);

        public void Acked(long events) => Interlocked.Exchange(ref EventsAcked, events);

        public Task<LoadStats> SendInOrderAsync(IAsyncEnumerable<Payload> payloads, Action<long> acked) => Generator.SendInOrderAsync(payloads, acked);
    }
}
