using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;
using Sparkwatch.Storage;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>Starts one <see cref="SinkRunner"/> per sink this process runs (<see cref="SinkOptions.Enabled"/>), and stops them.</summary>
public sealed class SinkHost(IEnumerable<IEventSink> sinks, IEventStore store, AcceptedSignal signal, IOptions<SparkwatchOptions> options,
    TimeProvider time, ILoggerFactory loggers) : IHostedService
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
        foreach (var sink in sinks.Where(s => settings.Enabled.Length == 0 || settings.Enabled.Contains(s.Name, StringComparer.OrdinalIgnoreCase)))
        {
            var runner = new SinkRunner(sink, log, signal, settings, time, loggers.CreateLogger<SinkRunner>());
            _runners.Add(runner);
            await runner.StartAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners) await runner.StopAsync(cancellationToken);
    }
}
