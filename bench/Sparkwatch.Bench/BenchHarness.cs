namespace Sparkwatch.Bench;

/// <summary>
/// Runs the phases in order against one server: sustained ingest, ingest at half that load, growth in run count
/// (100 → 1,000 → 10,000 runs), growth in run size (1k → 1M events), disk use, then restarts.
/// </summary>
internal sealed class BenchHarness(BenchOptions options, TextWriter log)
{
    private const double MaxExpectedEventsPerSecond = 200_000;

    public async Task<BenchResult> RunAsync()
    {
        var root = RepositoryRoot();
        var source = SourceEvents.Load(options.SharedData ?? Path.Combine(root, "..", "shared", "data"));
        log.WriteLine($"source: {source.Escaped.Count} real events, mean {source.RawBytes / (double)source.Escaped.Count:0} bytes");
        var factory = new PayloadFactory(source);
        var dataDir = DataDirectory(options);
        var serverDll = ServerDll(options, root);
        if (options.CopyStore is not null) PrefillResult.CopyStore(options.CopyStore, dataDir);
        var jetStream = options.Url is null && options.JetStream ? await JetStreamTopology.StartAsync(serverDll, dataDir, options.ServerArgs) : null;
        var separateCollectors = options.Url is null && jetStream is null && options.Collectors > 0;
        // The process that takes the payloads (its RSS is the ingest figure), and the one that serves the reads.
        var server = jetStream?.Collector ?? (options.Url is null
            ? await ServerProcess.StartAsync(serverDll, dataDir, separateCollectors ? [.. options.ServerArgs, .. CollectorProcesses.MainServerRoles(options.Sinks)] : options.ServerArgs)
            : null);
        var reader = jetStream?.Store ?? server;
        // Started after the main server, which creates the schema.
        var collectors = separateCollectors ? await CollectorProcesses.StartAsync(serverDll, dataDir, options.ServerArgs, options.Collectors) : null;
        IReadOnlyList<ServerProcess> ingesting = collectors?.Processes ?? (server is null ? [] : [server]);
        List<HttpClient> http = ingesting.Count > 0 ? [.. ingesting.Select(p => NewClient(p.BaseAddress))] : [NewClient(new Uri(options.Url!))];
        try
        {
            using var readHttp = NewClient(reader?.BaseAddress ?? new Uri(options.Url!));
            var load = new LoadGenerator(http);
            var reads = new ReadProbe(readHttp, reader);
            var sinks = jetStream is null ? new SinkLagProbe(readHttp) : new SinkLagProbe(readHttp, jetStream.AllStoredAsync, sinksElsewhere: true);
            var settle = TimeSpan.FromMinutes(5);

            var prefill = options.CopyStore is not null ? PrefillResult.Read(dataDir)
                : options.PrefillEvents > 0 ? await PrefillAsync(factory, source, load, sinks, dataDir) : null;
            var warmup = options.WarmupSeconds > 0 ? await IngestAsync(factory, source, load, sinks, ingesting, "warmup", null, options.WarmupSeconds) : null;
            var ingest = await IngestAsync(factory, source, load, sinks, ingesting, "ingest", null, options.IngestSeconds);
            var half = await IngestAsync(factory, source, load, sinks, ingesting, "half", ingest.EventsPerSecond / 2, options.HalfLoadSeconds);
            var stored = (prefill?.Events ?? 0) + (warmup?.EventsStored ?? 0) + ingest.EventsStored + half.EventsStored;
            var storedRaw = (prefill?.RawBytes ?? 0) + (warmup?.RawBytes ?? 0) + ingest.RawBytes + half.RawBytes;
            var counts = new List<RunCountStep>();
            var made = 0;
            foreach (var target in options.RunCounts)
            {
                var runs = Enumerable.Range(made, target - made).Select(i => ("bench-many", $"run-{i:D6}", (long)options.SmallRunEvents, 100)).ToList();
                var stats = await load.SendAsync(factory.Runs(runs), options.Concurrency);
                Check(stats, "run-count growth");
                await sinks.WaitStoredAsync(settle);
                stored += stats.EventsStored;
                storedRaw += stats.RawBytes;
                made = target;
                var step = new RunCountStep(target, stored, stats.EventsPerSecond,
                    await reads.LatencyAsync(ReadProbe.RunPath("bench-many", "run-000000") + "/duration", options.LatencySamples),
                    await reads.LatencyAsync("/job/bench-many", options.LatencySamples / 4));
                counts.Add(step);
                log.WriteLine($"{target,7} runs: ingest {step.IngestEventsPerSecond,9:0} ev/s; /duration {step.DurationMs}; /job/{{job}} {step.JobRunsMs}");
            }
            var sizes = new List<RunSizeStep>();
            foreach (var size in options.RunSizes)
            {
                var payloads = factory.Run("bench-big", $"size-{size}", size, 1000);
                ResetPeakRss(ingesting);
                var stats = await load.SendAsync([payloads], 1);
                Check(stats, $"run of {size} events");
                await sinks.WaitStoredAsync(settle);
                if (options.ReadsAfterSinks) await sinks.WatchAsync(Task.CompletedTask, settle);
                stored += stats.EventsStored;
                storedRaw += stats.RawBytes;
                var rss = PeakRssMb(ingesting);
                var stream = await reads.StreamEventsAsync("bench-big", $"size-{size}", options.StreamRepeats);
                if (stream.Events != size) throw new InvalidOperationException($"/events returned {stream.Events} events of a run of {size}.");
                var duration = await reads.LatencyAsync(ReadProbe.RunPath("bench-big", $"size-{size}") + "/duration", options.LatencySamples);
                sizes.Add(new RunSizeStep(size, stats.EventsPerSecond, rss, stream, duration));
                log.WriteLine($"run of {size,9} events: ingest {stats.EventsPerSecond,9:0} ev/s; /events {stream.EventsPerSecond,9:0} ev/s {stream.MegabytesPerSecond,7:0.0} MB/s " +
                    $"in {stream.Seconds:0.000} s (RSS +{stream.RssGrowthBytes / 1e6:0} MB); /duration {duration}");
            }
            DiskResult? disk = null;
            StartupResult? startup = null;
            // The embedded store's files; a server over PostgreSQL keeps none in the data folder (no figure then).
            if (server is not null && Directory.Exists(dataDir)) disk = MeasureDisk(dataDir, stored, storedRaw / (double)Math.Max(1, stored));
            if (server is not null && jetStream is null && collectors is null && options.StartupRepeats > 0)
            {
                await server.DisposeAsync();
                server = null;
                var startups = new List<double>();
                for (var i = 0; i < options.StartupRepeats; i++)
                {
                    await using var restarted = await ServerProcess.StartAsync(serverDll, dataDir, options.ServerArgs);
                    startups.Add(restarted.Startup.TotalSeconds);
                }
                startup = new StartupResult(stored, startups.Order().ElementAt(startups.Count / 2), startups);
                log.WriteLine($"start-up with {stored} events stored: {startup.MedianSeconds:0.000} s (median of {startups.Count})");
            }
            var ratios = Ratios(counts, sizes);
            var result = new BenchResult(MachineInfo.Current(options.Url ?? serverDll), options, new SourceInfo(source.Escaped.Count, source.RawBytes / (double)source.Escaped.Count),
                ingest, half, counts, sizes, disk, startup, ratios, []) { Prefill = prefill };
            return result with { Targets = TargetTable.Check(result) };
        }
        catch (Exception) when ((collectors?.ExitReport ?? ExitReport(jetStream, server)) is { } report)
        {
            throw new InvalidOperationException(report);
        }
        finally
        {
            http.ForEach(client => client.Dispose());
            if (collectors is not null) await collectors.DisposeAsync();
            if (jetStream is not null) await jetStream.DisposeAsync();
            else if (server is not null) await server.DisposeAsync();
            DeleteDataDirectory(options, dataDir);
        }
    }

    /// <summary><c>--prefill-only</c>: fills a store with <see cref="BenchOptions.PrefillEvents"/> events and stops its server.</summary>
    public async Task PrefillOnlyAsync()
    {
        if (options.PrefillEvents <= 0 || options.DataDirectory is null || !options.KeepData)
        {
            throw new ArgumentException($"--prefill-only needs --prefill-events N (or --size large), --data-dir DIR and --keep-data.\n{BenchOptions.Usage}");
        }
        var source = SourceEvents.Load(options.SharedData ?? Path.Combine(RepositoryRoot(), "..", "shared", "data"));
        await using var server = await ServerProcess.StartAsync(ServerDll(options, RepositoryRoot()), options.DataDirectory, options.ServerArgs);
        using var http = NewClient(server.BaseAddress);
        await PrefillAsync(new PayloadFactory(source), source, new LoadGenerator(http), new SinkLagProbe(http), options.DataDirectory);
    }

    /// <summary>Sends <see cref="BenchOptions.PrefillEvents"/> events in whole runs of the source and waits until every sink applied them.</summary>
    private async Task<PrefillResult> PrefillAsync(PayloadFactory factory, SourceEvents source, LoadGenerator load, SinkLagProbe sinks, string dataDir)
    {
        var runCount = (int)Math.Ceiling(options.PrefillEvents / (double)source.Escaped.Count);
        var runs = factory.Runs([.. Enumerable.Range(0, runCount).Select(i => ($"bench-prefill-{i % 20:D2}", $"prefill-{i:D7}", (long)source.Escaped.Count, 1000))]);
        log.WriteLine($"prefill: {runCount} runs of {source.Escaped.Count} events ({runCount * (long)source.Escaped.Count} events), not measured");
        var sending = load.SendAsync(runs, options.Concurrency);
        var lag = await sinks.WatchAsync(sending, TimeSpan.FromMinutes(options.CatchUpMinutes));
        var stats = await sending;
        Check(stats, "prefill");
        if (lag.Sinks.Any(s => s.CatchUpSeconds is null)) throw new TimeoutException($"The sinks had not applied the prefill {options.CatchUpMinutes} min after it was sent.");
        var prefill = new PrefillResult(stats.EventsStored, stats.RawBytes, stats.Seconds, stats.EventsPerSecond, Copied: false);
        log.WriteLine($"prefill: {prefill.Events} events in {prefill.Seconds:0} s ({prefill.EventsPerSecond:0} events/s); every sink caught up");
        prefill.Write(dataDir);
        return prefill;
    }

    private async Task<IngestResult> IngestAsync(PayloadFactory factory, SourceEvents source, LoadGenerator load, SinkLagProbe sinks,
        IReadOnlyList<ServerProcess> ingesting, string name, double? rate, int seconds)
    {
        // Enough distinct runs for the phase at the highest rate we expect; each replays every source event once,
        // half of them in payloads of 100 messages, half in payloads of 1,000.
        var runCount = (int)Math.Ceiling((rate ?? MaxExpectedEventsPerSecond) * seconds / source.Escaped.Count) + options.Concurrency;
        var runs = factory.Runs([.. Enumerable.Range(0, runCount).Select(i => ($"bench-{name}-{i % 20:D2}", $"{name}-{i:D6}", (long)source.Escaped.Count, i % 2 == 0 ? 100 : 1000))]);
        ResetPeakRss(ingesting);
        var sending = load.SendAsync(runs, options.Concurrency, TimeSpan.FromSeconds(seconds), rate);
        var lag = await sinks.WatchAsync(sending, TimeSpan.FromSeconds(Math.Max(60, seconds * 4)));
        var stats = await sending;
        Check(stats, name);
        var result = IngestResult.From(stats, PeakRssMb(ingesting), rate) with { Sinks = lag.Sinks, StoredSeconds = lag.StoredSeconds };
        log.WriteLine($"{name}: {result.EventsPerSecond:0} events/s, {result.MegabytesPerSecond:0.0} MB/s over {result.Seconds:0.0} s; ack {result.AckLatencyMs}; peak RSS {result.PeakRssMb:0} MB; " +
            $"stored {(lag.StoredSeconds is { } t ? $"{t:0.00} s" : "not within the limit")} after the last ack");
        foreach (var sink in lag.Sinks)
        {
            log.WriteLine($"  sink {sink.Sink}: lag at most {sink.MaxLagEvents} events / {sink.MaxLagSeconds:0.0} s; caught up {(sink.CatchUpSeconds is { } c ? $"{c:0.0} s" : "not within the limit")} after the last ack");
        }
        return result;
    }

    private static void ResetPeakRss(IReadOnlyList<ServerProcess> processes)
    {
        foreach (var process in processes) process.ResetPeakRss();
    }

    /// <summary>The largest peak RSS of the processes taking the payloads (null when measuring a server by URL).</summary>
    private static double? PeakRssMb(IReadOnlyList<ServerProcess> processes) => processes.Count == 0 ? null : processes.Max(p => p.PeakRssBytes) / 1e6;

    /// <summary>Why a process of the measured topology is gone, when one is; else null.</summary>
    private static string? ExitReport(JetStreamTopology? jetStream, ServerProcess? server) =>
        jetStream is null ? server?.ExitReport : jetStream.Collector.ExitReport ?? jetStream.Store.ExitReport ?? jetStream.Sinks.ExitReport;

    private static void Check(LoadStats stats, string phase)
    {
        if (stats.Errors > 0) throw new InvalidOperationException($"{stats.Errors} payloads were refused during {phase}.");
        if (stats.EventsStored != stats.Events) throw new InvalidOperationException($"{phase}: sent {stats.Events} events, the server stored {stats.EventsStored}.");
    }

    private static DiskResult? MeasureDisk(string dataDir, long events, double rawBytesPerEvent)
    {
        var bytes = Directory.EnumerateFiles(dataDir, "sparkwatch.db*").Sum(f => new FileInfo(f).Length);
        if (bytes == 0) return null;
        var perEvent = bytes / (double)Math.Max(1, events);
        return new DiskResult(events, bytes, perEvent, rawBytesPerEvent, perEvent / rawBytesPerEvent);
    }

    private static List<Ratio> Ratios(List<RunCountStep> counts, List<RunSizeStep> sizes)
    {
        var ratios = new List<Ratio>();
        for (var i = 1; i < sizes.Count; i++)
        {
            ratios.Add(new Ratio($"/events time, {sizes[i].Events} vs {sizes[i - 1].Events} events", sizes[i].Stream.Seconds / sizes[i - 1].Stream.Seconds));
        }
        if (sizes.Count > 1) ratios.Add(new Ratio($"/duration p99, run of {sizes[^1].Events} vs {sizes[0].Events} events", sizes[^1].DurationMs.P99 / sizes[0].DurationMs.P99));
        if (counts.Count > 1)
        {
            ratios.Add(new Ratio($"/duration p99, {counts[^1].Runs} vs {counts[0].Runs} runs", counts[^1].DurationMs.P99 / counts[0].DurationMs.P99));
            ratios.Add(new Ratio($"/job/{{job}} p99, {counts[^1].Runs} vs {counts[0].Runs} runs", counts[^1].JobRunsMs.P99 / counts[0].JobRunsMs.P99));
            ratios.Add(new Ratio($"ingest events/s, {counts[^1].Runs} vs {counts[0].Runs} runs", counts[^1].IngestEventsPerSecond / counts[0].IngestEventsPerSecond));
        }
        return ratios;
    }

    /// <summary>A client of the server under test; a request may take <paramref name="timeout"/> (5 minutes unless given).</summary>
    public static HttpClient NewClient(Uri baseAddress, TimeSpan? timeout = null) => new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 })
    {
        BaseAddress = baseAddress,
        Timeout = timeout ?? TimeSpan.FromMinutes(5),
    };

    /// <summary>The store's folder: <c>--data-dir</c>, else a new temporary one, which <see cref="DeleteDataDirectory"/> removes.</summary>
    public static string DataDirectory(BenchOptions options) =>
        options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "sparkwatch-bench", Guid.NewGuid().ToString("N"));

    /// <summary>Removes the temporary folder of <see cref="DataDirectory"/>, unless it was given, is kept (<c>--keep-data</c>) or unused (<c>--url</c>).</summary>
    public static void DeleteDataDirectory(BenchOptions options, string dataDir)
    {
        if (options.Url is not null || options.KeepData || options.DataDirectory is not null) return;
        try { Directory.Delete(dataDir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The server to start: <c>--server-dll</c>, or the build of src/Sparkwatch beside this one.</summary>
    public static string ServerDll(BenchOptions options, string root) =>
        options.ServerDll ?? Path.Combine(root, "src", "Sparkwatch", "bin", BuildConfiguration, "net10.0", "Sparkwatch.dll");

    private static string BuildConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sparkwatch.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Sparkwatch.slnx above {AppContext.BaseDirectory}; pass --server-dll and --shared-data.");
    }
}
