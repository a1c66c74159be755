using Sparkwatch.Archive;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Hosting;
using Sparkwatch.Retention;
using Sparkwatch.Storage;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Retention;

namespace Sparkwatch.Sinks.Archive;

/// <summary>Registers the archive sink, its target and its roller, the reader of archived events and retention.</summary>
public static class ArchiveSinkServices
{
    /// <summary>Adds the archive sink as an <see cref="IEventSink"/>, with the target and codec of <c>Sparkwatch:Archive</c>.</summary>
    public static IServiceCollection AddArchiveSink(this IServiceCollection services, SparkwatchOptions options)
    {
        services.AddSingleton(options.Archive);
        services.AddSingleton(_ => ArchiveTargets.Open(options.Archive, options.DataDirectory));
        services.AddSingleton(sp => new RunArchiver(sp.GetRequiredService<IArchiveTarget>(), options.Archive,
            Path.Combine(options.DataDirectory, "archive-spool"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEventSink, ArchiveSink>();
        services.AddSingleton<RunEventReader>();
        services.AddSingleton(sp => new HotEventRetainer((IHotEventRetention)sp.GetRequiredService<IEventStore>(), (IAcceptedLog)sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<IArchiveTarget>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HotEventRetainer>>()));
        if (!Runs(options)) return services;
        services.AddHostedService<ArchiveRoller>();
        // Retention runs beside the archive sink: the process that knows the archive is written.
        if (options.Retention.HotEventsAge > TimeSpan.Zero) services.AddHostedService<HotEventRetentionService>();
        return services;
    }

    /// <summary>True when this process runs the archive sink (its roller goes with it).</summary>
    private static bool Runs(SparkwatchOptions options) => options.HasRole(ServiceRole.Sinks)
        && (options.Sinks.Enabled.Length == 0 || options.Sinks.Enabled.Contains(ArchiveSink.SinkName, StringComparer.OrdinalIgnoreCase));
}
