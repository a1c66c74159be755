using Sparkwatch.Archive;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks.Archive;

/// <summary>The run archive as a sink of the accepted stream: each run's events as a Spark rolling event log (docs/archive.md).</summary>
public sealed class ArchiveSink(RunArchiver archiver) : IEventSink
{
    /// <summary>The sink's name.</summary>
    public const string SinkName = "archive";

    /// <inheritdoc/>
    public string Name => SinkName;

    /// <inheritdoc/>
    public Task ApplyAsync(PendingRun run, IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken) =>
        archiver.ApplyAsync(run.Run, events, cancellationToken);
}
