using System.Diagnostics;
using System.Text.Json;

namespace Sparkwatch.Bench;

/// <summary>What a load phase achieved.</summary>
internal sealed record LoadStats(long Events, long RawBytes, long CompressedBytes, int Payloads, int Errors, long EventsStored, double Seconds, Percentiles AckLatencyMs)
{
    public double EventsPerSecond => Events / Seconds;

    public double MegabytesPerSecond => RawBytes / 1e6 / Seconds;
}

/// <summary>
/// Sends runs' payloads to <c>/collect</c> from <c>concurrency</c> workers, each playing one run at a time in order
/// (as one listener does), and times each acknowledgement. With several collectors, worker <c>i</c> sends to collector
/// <c>i mod n</c> (as listeners behind a Kubernetes Service spread over its pods).
/// </summary>
internal sealed class LoadGenerator(params IReadOnlyList<HttpClient> collectors)
{
    /// <summary>
    /// Sends the runs until they are all sent or <paramref name="deadline"/> passes. With <paramref name="eventsPerSecond"/>,
    /// the workers pace themselves to that total rate (open loop, latency without queueing time); else as fast as acks come.
    /// </summary>
    public async Task<LoadStats> SendAsync(IReadOnlyList<IReadOnlyList<Payload>> runs, int concurrency, TimeSpan? deadline = null, double? eventsPerSecond = null)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var http = collectors[worker % collectors.Count];
            var stats = new WorkerStats();
            var perWorkerRate = eventsPerSecond / concurrency;
            int run;
            while ((run = Interlocked.Increment(ref next)) < runs.Count)
            {
                foreach (var payload in runs[run])
                {
                    if (deadline is { } d && clock.Elapsed >= d) return stats;
                    if (perWorkerRate is { } rate)
                    {
                        var due = TimeSpan.FromSeconds(stats.Events / rate);
                        if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                    }
                    await SendOneAsync(http, payload, stats);
                }
            }
            return stats;
        })).ToArray();
        var all = await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        return new LoadStats(all.Sum(w => w.Events), all.Sum(w => w.RawBytes), all.Sum(w => w.CompressedBytes), all.Sum(w => w.Payloads),
            all.Sum(w => w.Errors), all.Sum(w => w.Stored), seconds, Percentiles.Of(all.SelectMany(w => w.LatenciesMs)));
    }

    /// <summary>Sends payloads one after the other, in order, as one listener sends one run (closed loop).</summary>
    public async Task<LoadStats> SendInOrderAsync(IAsyncEnumerable<Payload> payloads, Action<long>? acked = null)
    {
        var stats = new WorkerStats();
        var clock = Stopwatch.StartNew();
        await foreach (var payload in payloads)
        {
            await SendOneAsync(collectors[0], payload, stats);
            acked?.Invoke(stats.Events);
        }
        return new LoadStats(stats.Events, stats.RawBytes, stats.CompressedBytes, stats.Payloads, stats.Errors, stats.Stored, clock.Elapsed.TotalSeconds,
            Percentiles.Of(stats.LatenciesMs));
    }

    private static async Task SendOneAsync(HttpClient http, Payload payload, WorkerStats stats)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/collect") { Content = payload.ToContent() };
        request.Headers.Add("X-API-key", "bench");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        stats.LatenciesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (!response.IsSuccessStatusCode)
        {
            stats.Errors++;
            if (stats.Errors == 1) Console.Error.WriteLine($"POST /collect answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
            return;
        }
        stats.Payloads++;
        stats.Events += payload.Events;
        stats.RawBytes += payload.RawEventBytes;
        stats.CompressedBytes += payload.CompressedBytes;
        using var ack = JsonDocument.Parse(body);
        // Through JetStream (Broker:Kind=nats) the collector answers what JetStream holds durably, not what was new.
        stats.Stored += (ack.RootElement.TryGetProperty("events_stored", out var stored) ? stored : ack.RootElement.GetProperty("events_accepted")).GetInt64();
    }

    private sealed class WorkerStats
    {
        public long Events, RawBytes, CompressedBytes, Stored;
        public int Payloads, Errors;
        public List<double> LatenciesMs { get; } = [];
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record Percentiles(int Count, double P50, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return new Percentiles(0, 0, 0, 0);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.99), sorted[^1]);
    }

    public override string ToString() => $"p50 {P50:0.00} ms, p99 {P99:0.00} ms, max {Max:0.00} ms (n={Count})";
}
