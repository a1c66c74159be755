using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>
/// A consumer of the accepted stream (archive, search, ...). The sink runner hands it each run's newly
/// accepted events in accepted order and moves the sink's cursor after <see cref="ApplyAsync"/> returns, so the same
/// events come again when the process died in between: the effect must be idempotent (key it by run and seq).
/// A sink never delays a client's acknowledgement.
/// </summary>
public interface IEventSink
{
    /// <summary>The sink's name: its cursor's key in the store, its role (<c>sink:NAME</c>) and its metrics label.</summary>
    string Name { get; }

    /// <summary>Applies <paramref name="events"/> (accepted after the sink's cursor, in accepted order) of <paramref name="run"/>.</summary>
    Task ApplyAsync(PendingRun run, IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken);
}
