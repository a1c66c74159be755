using Sparkwatch.Archive;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Hosting;

namespace Sparkwatch.Sinks.Archive;

/// <summary>Registers the archive sink, its target and its roller.</summary>
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
        if (Runs(options)) services.AddHostedService<ArchiveRoller>();
        return services;
    }

    /// <summary>True when this process runs the archive sink (its roller goes with it).</summary>
    private static bool Runs(SparkwatchOptions options) => options.HasRole(ServiceRole.Sinks)
        && (options.Sinks.Enabled.Length == 0 || options.Sinks.Enabled.Contains(ArchiveSink.SinkName, StringComparer.OrdinalIgnoreCase));
}
