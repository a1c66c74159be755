using System.Diagnostics;
using System.Text.Json;

namespace Sparkwatch.Bench;

/// <summary>
/// Watches <c>/sinks</c> while an ingest phase runs (the largest lag each sink reached) and after it ends: how long after
/// the last acknowledgement the store held everything acknowledged (<paramref name="allStored"/>; at once where the
/// acknowledgement follows the commit), and how long until each sink had applied it: the end-to-end lag from accepted
/// to stored to applied (archived, indexed, projected).
/// </summary>
/// <param name="http">The process serving <c>/sinks</c>.</param>
/// <param name="allStored">True once the store holds everything acknowledged so far; null: the acknowledgement means stored.</param>
/// <param name="sinksElsewhere">The sinks run in other processes: watch every sink listed, not only those running in this one.</param>
internal sealed class SinkLagProbe(HttpClient http, Func<Task<bool>>? allStored = null, bool sinksElsewhere = false)
{
    // While the phase runs the largest lag is what is wanted, and it moves slowly: one sample a second. Each /sinks sums
    // every pending payload of each sink, so the probe costs the server it measures (at 4 Hz it took 28 % of a core
    // while a 10-million-event fill lagged: the harness's load, not the server's).
    private static readonly TimeSpan PhaseSample = TimeSpan.FromSeconds(1);
    // After the phase the time to catch up is what is wanted: a finer sample.
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(250);

    /// <summary>Samples until <paramref name="phase"/> completes, then until the store and every sink caught up (or <paramref name="catchUpLimit"/>).</summary>
    public async Task<PhaseLag> WatchAsync(Task phase, TimeSpan catchUpLimit)
    {
        var worst = new Dictionary<string, (long Events, double Seconds)>();
        while (!phase.IsCompleted)
        {
            Record(await ReadAsync(), worst);
            await Task.WhenAny(phase, Task.Delay(PhaseSample));
        }
        await phase;
        var ended = Stopwatch.StartNew();
        double? stored = allStored is null ? 0 : null;
        var caughtUp = new Dictionary<string, double>();
        while (ended.Elapsed < catchUpLimit)
        {
            if (stored is null && await allStored!()) stored = ended.Elapsed.TotalSeconds;
            var sinks = await ReadAsync();
            Record(sinks, worst);
            // A sink's lag counts from what the store holds: it has caught up only once the store holds everything.
            if (stored is not null)
            {
                foreach (var (name, _, _) in sinks.Where(s => s.Events == 0)) caughtUp.TryAdd(name, ended.Elapsed.TotalSeconds);
                if (sinks.All(s => caughtUp.ContainsKey(s.Name))) break;
            }
            // Not faster: /sinks counts every pending payload, and at 20 Hz on a store of millions of events the
            // probe took 40 % of the server it measures (profiled while a lagging run model caught up).
            await Task.Delay(Sample);
        }
        return new PhaseLag(stored, [.. worst.Select(w => new SinkLagResult(w.Key, w.Value.Events, w.Value.Seconds, caughtUp.TryGetValue(w.Key, out var s) ? s : null))]);
    }

    /// <summary>Waits (up to <paramref name="limit"/>) until the store holds everything acknowledged; reads are eventually consistent through a broker.</summary>
    public async Task WaitStoredAsync(TimeSpan limit)
    {
        if (allStored is null) return;
        var clock = Stopwatch.StartNew();
        while (!await allStored())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"The writer had not stored everything acknowledged {limit.TotalSeconds:0} s after the last acknowledgement.");
            await Task.Delay(Sample / 5);
        }
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
        return [.. doc.RootElement.EnumerateArray().Where(s => sinksElsewhere || s.GetProperty("runs_here").GetBoolean())
            .Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("lag_events").GetInt64(), s.GetProperty("lag_seconds").GetDouble()))];
    }
}

/// <summary>The end-to-end lag of a phase, after its last acknowledgement.</summary>
/// <param name="StoredSeconds">Until the store held everything acknowledged (0 where the acknowledgement follows the commit); null when not within the limit.</param>
/// <param name="Sinks">Each sink's lag.</param>
internal sealed record PhaseLag(double? StoredSeconds, IReadOnlyList<SinkLagResult> Sinks);

/// <summary>One sink's lag during an ingest phase.</summary>
/// <param name="Sink">The sink.</param>
/// <param name="MaxLagEvents">Most accepted events it had not applied, sampled every 250 ms.</param>
/// <param name="MaxLagSeconds">Oldest accepted payload it had not applied, at worst.</param>
/// <param name="CatchUpSeconds">Seconds after the phase's last acknowledgement until it had applied everything; null when it had not within the limit.</param>
internal sealed record SinkLagResult(string Sink, long MaxLagEvents, double MaxLagSeconds, double? CatchUpSeconds);
