namespace Sparkwatch.Bench;

/// <summary>The harness's settings; <c>--smoke</c> shrinks every size so the whole harness runs in seconds.</summary>
internal sealed record BenchOptions
{
    public bool Smoke { get; init; }
    public int IngestSeconds { get; init; } = 60;
    public int HalfLoadSeconds { get; init; } = 20;

    /// <summary>Seconds of full load sent (unmeasured) before the ingest phase, so that it measures code the JIT has tiered up.</summary>
    public int WarmupSeconds { get; init; }
    public int Concurrency { get; init; } = 8;
    public int[] RunCounts { get; init; } = [100, 1_000, 10_000];
    public int SmallRunEvents { get; init; } = 100;
    public long[] RunSizes { get; init; } = [1_000, 10_000, 100_000, 1_000_000];
    public int LatencySamples { get; init; } = 1_000;
    public int StreamRepeats { get; init; } = 3;
    public int StartupRepeats { get; init; } = 3;
    public string? Url { get; init; }
    /// <summary><c>embedded</c> (one server process, the default) or <c>jetstream</c> (nats-server, collector, writer, sinks).</summary>
    public string Topology { get; init; } = "embedded";
    public bool JetStream => Topology == "jetstream";
    /// <summary>Collector processes taking the payloads instead of the main server (<see cref="CollectorProcesses"/>); 0: none.</summary>
    public int Collectors { get; init; }
    /// <summary>False with <c>--no-sinks</c>: no process runs the sinks (model, search, archive); the store and the writer alone.</summary>
    public bool Sinks { get; init; } = true;
    /// <summary>With <c>--reads-after-sinks</c>: each run size's reads wait until every sink applied the run (reads on a quiet server).</summary>
    public bool ReadsAfterSinks { get; init; }
    public string? DataDirectory { get; init; }
    public bool KeepData { get; init; }
    public string? ServerDll { get; init; }
    public string[] ServerArgs { get; init; } = [];
    public string? SharedData { get; init; }
    /// <summary>The scenario of issues 10 and 11 (<see cref="BigRunBench"/>) instead of the ingest phases.</summary>
    public bool BigRun { get; init; }
    public long BigRunTasks { get; init; } = 1_000_000;
    public int ManyRuns { get; init; } = 100_000;
    public int ManyRunsJobs { get; init; } = 100;
    public int PaintLoads { get; init; } = 20;
    public bool SkipFill { get; init; }
    public bool Paint { get; init; }
    public int SecondsPerPath { get; init; } = 60;
    public int CatchUpMinutes { get; init; } = 30;
    /// <summary>Events sent (unmeasured) before the phases, so that every figure is taken with this many more stored.</summary>
    public long PrefillEvents { get; init; }
    /// <summary>A store filled before (<see cref="PrefillEvents"/> with <c>--keep-data</c>), copied into the data folder instead of filling again.</summary>
    public string? CopyStore { get; init; }
    /// <summary>Fill (<see cref="PrefillEvents"/>) and stop: no phases, so the kept store can be copied into later runs.</summary>
    public bool PrefillOnly { get; init; }
    public string Output { get; init; } = Path.Combine("artifacts", "bench", $"result-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");

    public static BenchOptions Smallest => new()
    {
        Smoke = true, IngestSeconds = 3, HalfLoadSeconds = 2, Concurrency = 4, RunCounts = [10, 30, 100], RunSizes = [100, 1_000, 10_000],
        LatencySamples = 50, StreamRepeats = 1, StartupRepeats = 1,
    };

    /// <summary>The documented large size: 10 million events stored before the phases, and a run of 2 million events.</summary>
    private static BenchOptions Large(BenchOptions options) => options with { PrefillEvents = 10_000_000, RunSizes = [1_000, 10_000, 100_000, 1_000_000, 2_000_000] };

    public const string Usage = """
        Sparkwatch.Bench [--smoke] [--concurrency N] [--warmup-seconds S] [--ingest-seconds S] [--half-load-seconds S] [--out FILE]
                         [--url http://host:port] [--data-dir DIR] [--keep-data] [--server-dll PATH] [--server-arg ARG]...
                         [--shared-data DIR] [--topology embedded|jetstream] [--size default|large]
                         [--prefill-events N [--prefill-only]] [--copy-store DIR] [--ingest-only] [--collectors N] [--no-sinks]
                         [--run-counts N,N…] [--run-sizes N,N…] [--reads-after-sinks]
        Sparkwatch.Bench --big-run [--tasks N] [--many-runs N] [--samples N] [--seconds-per-path S] [--skip-fill] [--paint]
                         [--jobs N] [--paint-loads N] [--data-dir DIR --keep-data] [--server-arg ARG]... [--out FILE]
          --smoke        tiny sizes (seconds); checks that the harness works, not the figures
          --warmup-seconds S  send S seconds of full load (not measured; default 0) before the ingest phase and wait until
                         every sink applied it: the phases then measure the server's tiered-up code (a fresh server JITs
                         its hot paths again, with instrumentation, for about its first 25 s under load)
          --url          measure a running server instead of starting one (no RSS, disk or start-up figures)
          --big-run      one run of --tasks tasks (1,000,000; 0 skips it), then --many-runs runs (100,000; 0 skips them) in
                         --jobs jobs (100): fill with the run model on, then p50/p99 of the API and dashboard calls (--samples each, 250, within
                         --seconds-per-path, 60; --samples 0: none); --skip-fill measures a store filled before
                         (--data-dir, --keep-data); --paint: first paint of the dashboard's pages in /usr/bin/chromium
                         (from its performance trace), then the server's RSS over --paint-loads more loads of each (20)
          --size large   every figure with 10,000,000 more events stored (--prefill-events 10000000) and a run of 2,000,000
                         events added to the run sizes
          --prefill-events N  send N events (runs of the source events, job bench-prefill-*) before the phases and wait
                         until every sink applied them; not measured. With --data-dir DIR --keep-data the filled store stays
                         in DIR (its counts in DIR/bench-prefill.json)
          --prefill-only fill and stop the server (with --data-dir DIR --keep-data: a store to copy into later runs)
          --ingest-only  the ingest and half-load phases and the disk figure only (no run-count, run-size or start-up phases)
          --copy-store DIR  start from a copy of a store filled with --prefill-events (instead of filling again)
          --collectors N N processes with the collector role only take the payloads (sender i to collector i mod N)
                         over the shared store the server args choose (PostgreSQL); the main server serves reads and
                         runs the sinks; the ingest RSS is the largest collector's; no start-up phase
          --no-sinks     no process runs the sinks (model, search, archive): what the collectors and the store alone do
          --run-counts, --run-sizes  the steps of the run-count and run-size phases (default 100,1000,10000 and
                         1000,10000,100000,1000000); an empty list skips the phase
          --reads-after-sinks  each run size's reads start once every sink applied the run (by default they start
                         once it is stored, while the sinks still work on it)
          --server-arg   passed to the server, e.g. --server-arg --Sparkwatch:Sqlite:Synchronous=NORMAL
          --topology     jetstream: nats-server + collector + writer (serving reads) + sinks processes over the store the
                         server args choose (e.g. --server-arg --store --server-arg postgres --server-arg
                         --Sparkwatch:Postgres:ConnectionString=…); reads wait until the writer stored what was acknowledged
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = args.Contains("--smoke") ? Smallest : new BenchOptions();
        var serverArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--smoke" => options,
                "--concurrency" => options with { Concurrency = int.Parse(Next()) },
                "--ingest-seconds" => options with { IngestSeconds = int.Parse(Next()) },
                "--warmup-seconds" => options with { WarmupSeconds = int.Parse(Next()) is >= 0 and var warmup ? warmup : throw new ArgumentException($"--warmup-seconds is 0 or more.\n{Usage}") },
                "--half-load-seconds" => options with { HalfLoadSeconds = int.Parse(Next()) },
                "--out" => options with { Output = Next() },
                "--url" => options with { Url = Next() },
                "--topology" => options with { Topology = Next() is ("embedded" or "jetstream") and var t ? t : throw new ArgumentException($"--topology is embedded or jetstream.\n{Usage}") },
                "--data-dir" => options with { DataDirectory = Next() },
                "--keep-data" => options with { KeepData = true },
                "--server-dll" => options with { ServerDll = Next() },
                "--shared-data" => options with { SharedData = Next() },
                "--big-run" => options with { BigRun = true, LatencySamples = args.Contains("--samples") ? options.LatencySamples : 250 },
                "--tasks" => options with { BigRunTasks = long.Parse(Next()) },
                "--many-runs" => options with { ManyRuns = int.Parse(Next()) },
                "--samples" => options with { LatencySamples = int.Parse(Next()) },
                "--seconds-per-path" => options with { SecondsPerPath = int.Parse(Next()) },
                "--catch-up-minutes" => options with { CatchUpMinutes = int.Parse(Next()) },
                "--skip-fill" => options with { SkipFill = true },
                "--paint" => options with { Paint = true },
                "--jobs" => options with { ManyRunsJobs = int.Parse(Next()) is > 0 and var jobs ? jobs : throw new ArgumentException($"--jobs is at least 1.\n{Usage}") },
                "--paint-loads" => options with { PaintLoads = int.Parse(Next()) },
                "--size" => Next() switch
                {
                    "default" => options,
                    "large" => Large(options),
                    var size => throw new ArgumentException($"--size is default or large, not {size}.\n{Usage}"),
                },
                "--prefill-events" => options with { PrefillEvents = long.Parse(Next()) },
                "--copy-store" => options with { CopyStore = Next() },
                "--prefill-only" => options with { PrefillOnly = true },
                "--collectors" => options with { Collectors = int.Parse(Next()) is >= 0 and var n ? n : throw new ArgumentException($"--collectors is 0 or more.\n{Usage}") },
                "--no-sinks" => options with { Sinks = false },
                "--run-counts" => options with { RunCounts = [.. Numbers(Next()).Select(n => (int)n)] },
                "--run-sizes" => options with { RunSizes = Numbers(Next()) },
                "--reads-after-sinks" => options with { ReadsAfterSinks = true },
                "--ingest-only" => options with { RunCounts = [], RunSizes = [], StartupRepeats = 0 },
                "--server-arg" => Add(serverArgs, Next(), options),
                _ => throw new ArgumentException($"Unknown argument {args[i]}.\n{Usage}"),
            };
        }
        if (!options.Sinks && options.JetStream) throw new ArgumentException($"--no-sinks is for the embedded topology (the JetStream one has a sinks process).\n{Usage}");
        // The embedded server without the sinks role; with --collectors the main server's roles are chosen there.
        if (!options.Sinks && options.Collectors == 0) serverArgs.AddRange(["--Sparkwatch:Roles:0=collector", "--Sparkwatch:Roles:1=query"]);
        return options with { ServerArgs = [.. serverArgs] };
    }

    /// <summary>A comma-separated list of positive whole numbers (empty: none).</summary>
    private static long[] Numbers(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => long.TryParse(n, out var value) && value > 0 ? value : throw new ArgumentException($"'{n}' is not a positive whole number.\n{Usage}"))];

    private static BenchOptions Add(List<string> list, string value, BenchOptions options)
    {
        list.Add(value);
        return options;
    }
}
