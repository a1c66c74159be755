namespace Sparkwatch.Bench;

/// <summary>Everything one harness run measured; written as the JSON result file.</summary>
internal sealed record BenchResult(
    MachineInfo Machine,
    BenchOptions Options,
    SourceInfo Source,
    IngestResult Ingest,
    IngestResult HalfLoad,
    IReadOnlyList<RunCountStep> RunCounts,
    IReadOnlyList<RunSizeStep> RunSizes,
    DiskResult? Disk,
    StartupResult? Startup,
    IReadOnlyList<Ratio> Ratios,
    IReadOnlyList<TargetCheck> Targets)
{
    /// <summary>What was stored before the phases (<c>--prefill-events</c>, <c>--copy-store</c>); null when nothing.</summary>
    public PrefillResult? Prefill { get; init; }
}

internal sealed record MachineInfo(int Cores, double MemoryGiB, string Os, string Runtime, string Server, string LoadAverageAtEnd)
{
    public static MachineInfo Current(string server) => new(Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30), 1),
        System.Runtime.InteropServices.RuntimeInformation.OSDescription, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, server,
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "");
}

internal sealed record SourceInfo(int Events, double MeanEventBytes);

/// <summary>An ingest phase: throughput, acknowledgement latency and the server's peak RSS during it.</summary>
internal sealed record IngestResult(long Events, long RawBytes, int Payloads, int Errors, long EventsStored, double Seconds, double EventsPerSecond,
    double MegabytesPerSecond, double CompressedMegabytesPerSecond, Percentiles AckLatencyMs, double? PeakRssMb, double? TargetEventsPerSecond)
{
    /// <summary>Each sink's lag during the phase and its catch-up after it.</summary>
    public IReadOnlyList<SinkLagResult> Sinks { get; init; } = [];

    /// <summary>Seconds from the phase's last acknowledgement until the store held everything acknowledged (0: the
    /// acknowledgement follows the commit; through JetStream, the writer's lag); null when not within the limit.</summary>
    public double? StoredSeconds { get; init; }

    public static IngestResult From(LoadStats s, double? peakRssMb, double? target = null) => new(s.Events, s.RawBytes, s.Payloads, s.Errors, s.EventsStored,
        s.Seconds, s.EventsPerSecond, s.MegabytesPerSecond, s.CompressedBytes / 1e6 / s.Seconds, s.AckLatencyMs, peakRssMb, target);
}

/// <summary>Read latencies once the store holds <paramref name="Runs"/> small runs in one job.</summary>
internal sealed record RunCountStep(int Runs, long EventsStoredTotal, double IngestEventsPerSecond, Percentiles DurationMs, Percentiles JobRunsMs);

/// <summary>One run of <paramref name="Events"/> events: how fast it went in and how fast it comes back out.</summary>
internal sealed record RunSizeStep(long Events, double IngestEventsPerSecond, double? IngestPeakRssMb, StreamStats Stream, Percentiles DurationMs);

internal sealed record DiskResult(long EventsStored, long StoreBytes, double StoredBytesPerEvent, double RawBytesPerEvent, double RatioToRaw);

internal sealed record StartupResult(long EventsStored, double MedianSeconds, IReadOnlyList<double> Seconds);

internal sealed record Ratio(string What, double Value);

internal sealed record TargetCheck(string What, string Target, string Measured, bool? Met);
