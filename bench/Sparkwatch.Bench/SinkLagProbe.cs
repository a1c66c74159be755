using System.Diagnostics;
using System.Text.Json;

namespace Sparkwatch.Bench;

/// <summary>
/// Watches <c>/sinks</c> while an ingest phase runs (the largest lag each sink reached) and after it ends (how long each
/// took to catch up with everything acknowledged): the end-to-end lag from accepted to applied.
/// </summary>
internal sealed class SinkLagProbe(HttpClient http)
{
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(250);

    /// <summary>Samples until <paramref name="phase"/> completes, then until every sink is caught up (or <paramref name="catchUpLimit"/>).</summary>
    public async Task<IReadOnlyList<SinkLagResult>> WatchAsync(Task phase, TimeSpan catchUpLimit)
    {
        var worst = new Dictionary<string, (long Events, double Seconds)>();
        while (!phase.IsCompleted)
        {
            Record(await ReadAsync(), worst);
            await Task.WhenAny(phase, Task.Delay(Sample));
        }
        await phase;
        var ended = Stopwatch.StartNew();
        var caughtUp = new Dictionary<string, double>();
        while (ended.Elapsed < catchUpLimit)
        {
            var sinks = await ReadAsync();
            Record(sinks, worst);
            foreach (var (name, events, _) in sinks.Where(s => s.Events == 0)) caughtUp.TryAdd(name, ended.Elapsed.TotalSeconds);
            if (sinks.All(s => caughtUp.ContainsKey(s.Name))) break;
            await Task.Delay(Sample / 5);
        }
        return [.. worst.Select(w => new SinkLagResult(w.Key, w.Value.Events, w.Value.Seconds, caughtUp.TryGetValue(w.Key, out var s) ? s : null))];
    }

    private static void Record(IEnumerable<(string Name, long Events, double Seconds)> sinks, Dictionary<string, (long Events, double Seconds)> worst)
    {
        foreach (var (name, events, seconds) in sinks)
        {
            var before = worst.GetValueOrDefault(name);
            worst[name] = (Math.Max(before.Events, events), Math.Max(before.Seconds, seconds));
        }
    }

    /// <summary>Each sink running in the server, with its lag now.</summary>
    public async Task<List<(string Name, long Events, double Seconds)>> ReadAsync()
    {
        using var response = await http.GetAsync("/sinks");
        if (!response.IsSuccessStatusCode) return [];
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return [.. doc.RootElement.EnumerateArray().Where(s => s.GetProperty("runs_here").GetBoolean())
            .Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("lag_events").GetInt64(), s.GetProperty("lag_seconds").GetDouble()))];
    }
}

/// <summary>One sink's lag during an ingest phase.</summary>
/// <param name="Sink">The sink.</param>
/// <param name="MaxLagEvents">Most accepted events it had not applied, sampled every 250 ms.</param>
/// <param name="MaxLagSeconds">Oldest accepted payload it had not applied, at worst.</param>
/// <param name="CatchUpSeconds">Seconds after the phase's last acknowledgement until it had applied everything; null when it had not within the limit.</param>
internal sealed record SinkLagResult(string Sink, long MaxLagEvents, double MaxLagSeconds, double? CatchUpSeconds);
