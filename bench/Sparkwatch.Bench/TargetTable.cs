namespace Sparkwatch.Bench;

/// <summary>The targets of issue 4, checked against one result. <c>Met</c> is null when the run was too small to judge.</summary>
internal static class TargetTable
{
    public static List<TargetCheck> Check(BenchResult r)
    {
        var checks = new List<TargetCheck>
        {
            new("ingest throughput, real events", "≥ 100,000 events/s sustained over ≥ 60 s",
                $"{r.Ingest.EventsPerSecond:N0} events/s over {r.Ingest.Seconds:0} s ({r.Source.MeanEventBytes:0} B/event)",
                r.Ingest.Seconds >= 59 ? r.Ingest.EventsPerSecond >= 100_000 : null),
            new("ack latency at half that load", "p99 ≤ 50 ms",
                $"p99 {r.HalfLoad.AckLatencyMs.P99:0.0} ms at {r.HalfLoad.EventsPerSecond:N0} events/s", r.HalfLoad.AckLatencyMs.P99 <= 50),
        };
        if (r.RunSizes.Count > 0)
        {
            var huge = r.RunSizes[^1];
            var small = r.RunSizes.FirstOrDefault(s => s.Events >= 10_000) ?? r.RunSizes[0];
            checks.Add(new("/events streaming, huge run", "≥ 300,000 events/s",
                $"{huge.Stream.EventsPerSecond:N0} events/s, {huge.Stream.MegabytesPerSecond:0} MB/s ({huge.Events:N0} events)", huge.Stream.EventsPerSecond >= 300_000));
            checks.Add(new("/events streaming, small run", "≥ 300,000 events/s",
                $"{small.Stream.EventsPerSecond:N0} events/s, {small.Stream.MegabytesPerSecond:0} MB/s ({small.Events:N0} events)", small.Stream.EventsPerSecond >= 300_000));
            var worst = r.Ratios.Where(x => x.What.StartsWith("/events time", StringComparison.Ordinal)).MaxBy(x => x.Value);
            if (worst is not null) checks.Add(new("/events growth", "10× the events costs ≤ 11× the time", $"worst {worst.Value:0.00}× ({worst.What})", worst.Value <= 11));
            var first = r.RunSizes[0];
            var ratio = huge.DurationMs.P99 / first.DurationMs.P99;
            checks.Add(new("/duration, small vs huge run", "the same within 20 %",
                $"p99 {first.DurationMs.P99:0.00} ms ({first.Events:N0} events) vs {huge.DurationMs.P99:0.00} ms ({huge.Events:N0} events): {ratio:0.00}×", Math.Abs(ratio - 1) <= 0.2));
            checks.Add(new("memory serving a huge run", "adds ≤ 50 MB (2 million events)",
                $"+{huge.Stream.RssGrowthBytes / 1e6:0} MB serving {huge.Events:N0} events", huge.Events >= 1_000_000 ? huge.Stream.RssGrowthBytes <= 50_000_000 : null));
        }
        if (r.RunCounts.Count > 0)
        {
            var most = r.RunCounts[^1];
            checks.Add(new("/duration latency", "p99 ≤ 2 ms with 10,000 runs and 10 million events stored",
                $"p99 {most.DurationMs.P99:0.00} ms with {most.Runs:N0} runs, {most.EventsStoredTotal:N0} events stored", most.DurationMs.P99 <= 2));
        }
        var peaks = new[] { r.Ingest.PeakRssMb, r.HalfLoad.PeakRssMb }.Concat(r.RunSizes.Select(s => s.IngestPeakRssMb)).Where(p => p is not null).ToList();
        if (peaks.Count > 0) checks.Add(new("server memory while ingesting", "peak RSS ≤ 300 MB", $"{peaks.Max():0} MB", peaks.Max() <= 300));
        if (r.Disk is { } d)
        {
            checks.Add(new("disk", "bytes stored per event ≤ raw event JSON", $"{d.StoredBytesPerEvent:0} B vs {d.RawBytesPerEvent:0} B raw ({d.RatioToRaw:0.00}×)", d.RatioToRaw <= 1));
            checks.Add(new("disk (stretch)", "≤ 0.3× raw", $"{d.RatioToRaw:0.00}×", d.RatioToRaw <= 0.3));
        }
        if (r.Startup is { } s)
        {
            checks.Add(new("start-up", "ready in ≤ 1 s with 10 million events stored", $"{s.MedianSeconds:0.000} s with {s.EventsStored:N0} events stored",
                s.EventsStored >= 10_000_000 ? s.MedianSeconds <= 1 : null));
        }
        return checks;
    }

    public static void Print(BenchResult r, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"| what | target | measured | met |");
        output.WriteLine($"|---|---|---|---|");
        foreach (var t in r.Targets) output.WriteLine($"| {t.What} | {t.Target} | {t.Measured} | {(t.Met is null ? "n/a (size)" : t.Met.Value ? "met" : "missed")} |");
        output.WriteLine();
        foreach (var ratio in r.Ratios) output.WriteLine($"ratio: {ratio.What}: {ratio.Value:0.00}×");
    }
}
