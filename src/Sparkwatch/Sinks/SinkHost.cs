using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;
using Sparkwatch.Metrics;
using Sparkwatch.Storage;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>Starts one <see cref="SinkRunner"/> per sink this process runs (<see cref="SinkOptions.Enabled"/>), and stops them.</summary>
public sealed class SinkHost(IEnumerable<IEventSink> sinks, IEventStore store, AcceptedSignal signal, AcceptedMemory memory, IOptions<SparkwatchOptions> options,
    SparkwatchMetrics metrics, TimeProvider time, ILoggerFactory loggers) : IHostedService
{
    private readonly List<SinkRunner> _runners = [];

    /// <summary>The runners of this process, one per sink it runs.</summary>
    public IReadOnlyList<SinkRunner> Runners => _runners;

    /// <summary>Every sink built in, whether this process runs it or not.</summary>
    public IEnumerable<IEventSink> Sinks => sinks;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Sinks;
        if (!options.Value.HasRole(ServiceRole.Sinks) || store is not IAcceptedLog log) return;
        var enabled = sinks.Where(s => settings.Enabled.Length == 0 || settings.Enabled.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        // The runners take what this process commits from memory; without runners nothing is kept.
        var handoff = enabled.Count > 0 && settings.HandoffBytes > 0 ? memory : null;
        foreach (var sink in enabled)
        {
            var runner = new SinkRunner(sink, log, signal, settings, time, loggers.CreateLogger<SinkRunner>(), handoff);
            _runners.Add(runner);
            metrics.ObserveSinkLag(sink.Name, () => runner.LatestLag is { } lag
                ? new SinkLagReading(lag.Events, lag.OldestPendingAcceptedAt is { } oldest ? Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - oldest) / 1000.0 : 0)
                : null);
            await runner.StartAsync(cancellationToken);
        }
        if (handoff is not null) log.Handoff = handoff;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (store is IAcceptedLog log && ReferenceEquals(log.Handoff, memory)) log.Handoff = null;
        foreach (var runner in _runners) await runner.StopAsync(cancellationToken);
    }
}
