using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Accepted;

/// <summary>
/// The accepted stream as the store keeps it (the embedded broker). Every committed payload that stored new events takes
/// the next position of its run, assigned under the run's row lock, so a run's positions commit in order even with
/// several collectors on PostgreSQL. Sinks keep one cursor per run: an event committed late by another collector is in a
/// position the sink has not applied yet, never behind its cursor.
/// </summary>
public interface IAcceptedLog
{
    /// <summary>
    /// Where this store hands the payloads it commits, as it commits them (the in-process sinks' memory); null (the
    /// default) hands nothing. Payloads committed by other processes are only ever read with <see cref="ReadAcceptedAsync"/>.
    /// </summary>
    IAcceptedHandoff? Handoff { get; set; }

    /// <summary>
    /// Registers <paramref name="sink"/>: every payload accepted from now on is pending for it, and so is everything
    /// accepted before (a new sink catches up from the start). Idempotent.
    /// </summary>
    Task RegisterSinkAsync(string sink, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> runs with payloads <paramref name="sink"/> has not applied, for
    /// <paramref name="lease"/>: no other process running the same sink gets them until the lease ends (a killed
    /// consumer's runs are taken over when it does). Runs leased to <paramref name="owner"/> already are claimed again.
    /// </summary>
    Task<IReadOnlyList<PendingRun>> ClaimPendingRunsAsync(string sink, string owner, TimeSpan lease, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run's events accepted after <paramref name="afterPosition"/>, in accepted order, whole payloads only, stopping
    /// after the payload that reaches <paramref name="maxEvents"/>.
    /// </summary>
    Task<AcceptedEvents> ReadAcceptedAsync(long runPk, long afterPosition, int maxEvents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves <paramref name="sink"/>'s cursor of each run to its position (never backwards) and ends the owner's leases on
    /// them, in one transaction: a sink marks every run of a claim at once.
    /// </summary>
    Task MarkAppliedAsync(string sink, string owner, IReadOnlyList<AppliedRun> applied, CancellationToken cancellationToken = default);

    /// <summary>How far <paramref name="sink"/> is behind what the store accepted.</summary>
    Task<SinkLag> LagAsync(string sink, CancellationToken cancellationToken = default);
}

/// <summary>A run with accepted payloads a sink has not applied.</summary>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="Run">The run's job and id.</param>
/// <param name="AppliedPosition">The sink's cursor: every payload up to this position is applied.</param>
/// <param name="AcceptedPosition">The run's latest accepted position.</param>
public sealed record PendingRun(long RunPk, RunKey Run, long AppliedPosition, long AcceptedPosition);

/// <summary>A run's position a sink has applied.</summary>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="Position">Every payload up to this position is applied.</param>
public readonly record struct AppliedRun(long RunPk, long Position);

/// <summary>Accepted events of one run, read after a position.</summary>
/// <param name="Events">The events in accepted order.</param>
/// <param name="LastPosition">The position of the last payload read (the cursor to mark once applied); the start position when none.</param>
public sealed record AcceptedEvents(IReadOnlyList<AcceptedEvent> Events, long LastPosition);

/// <summary>One accepted event as stored (redacted, exactly the bytes <c>/events</c> serves).</summary>
/// <param name="Position">The position of the payload it was accepted in.</param>
/// <param name="Seq">Its stored seq in the run (unique per run: the identity to make a sink's effect idempotent).</param>
/// <param name="GeneratedAt">Its event time (epoch ms).</param>
/// <param name="EventType">Its <c>Event</c> field.</param>
/// <param name="Json">The event's JSON.</param>
public sealed record AcceptedEvent(long Position, long Seq, long GeneratedAt, string EventType, byte[] Json);

/// <summary>How far a sink is behind.</summary>
/// <param name="Runs">Runs with payloads it has not applied.</param>
/// <param name="Events">Events it has not applied.</param>
/// <param name="OldestPendingAcceptedAt">Server time (epoch ms) the oldest payload it has not applied was accepted, null when none.</param>
public sealed record SinkLag(long Runs, long Events, long? OldestPendingAcceptedAt);
