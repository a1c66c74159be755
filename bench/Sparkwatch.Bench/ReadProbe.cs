using System.Buffers;
using System.Diagnostics;

namespace Sparkwatch.Bench;

/// <summary>What streaming one run's events cost.</summary>
internal sealed record StreamStats(long Events, long Bytes, double Seconds, long RssGrowthBytes)
{
    public double EventsPerSecond => Events / Seconds;

    public double MegabytesPerSecond => Bytes / 1e6 / Seconds;
}

/// <summary>Measures the read side over HTTP: <c>/events</c> streaming and request latencies.</summary>
internal sealed class ReadProbe(HttpClient http, ServerProcess? server)
{
    public static string RunPath(string job, string run) => $"/job/{Uri.EscapeDataString(job)}/{Uri.EscapeDataString(run)}";

    /// <summary>Streams the run's events <paramref name="repeat"/> times; returns the median pass (by time) and the largest RSS growth seen.</summary>
    public async Task<StreamStats> StreamEventsAsync(string job, string run, int repeat)
    {
        var passes = new List<StreamStats>();
        for (var i = 0; i < repeat; i++) passes.Add(await StreamOnceAsync(RunPath(job, run) + "/events"));
        var median = passes.OrderBy(p => p.Seconds).ElementAt(passes.Count / 2);
        return median with { RssGrowthBytes = passes.Max(p => p.RssGrowthBytes) };
    }

    private async Task<StreamStats> StreamOnceAsync(string path)
    {
        var baseline = server?.RssBytes ?? 0;
        server?.ResetPeakRss();
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        long events = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        using (var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                events += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        ArrayPool<byte>.Shared.Return(buffer);
        var growth = server is null ? 0 : Math.Max(0, server.PeakRssBytes - baseline);
        return new StreamStats(events, bytes, seconds, growth);
    }

    /// <summary>GETs <paramref name="path"/> <paramref name="count"/> times one after the other (after a warm-up) and returns the latency percentiles.</summary>
    public async Task<Percentiles> LatencyAsync(string path, int count)
    {
        for (var i = 0; i < Math.Min(50, count); i++) await GetAsync(path);
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await GetAsync(path);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return Percentiles.Of(samples);
    }

    private async Task GetAsync(string path)
    {
        using var response = await http.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
    }
}
