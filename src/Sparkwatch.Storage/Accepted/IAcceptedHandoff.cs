using Sparkwatch.Storage.Appending;

namespace Sparkwatch.Storage.Accepted;

/// <summary>
/// Takes the payloads this process has just committed to the accepted stream, so that sinks in the same process can
/// apply them from memory instead of reading them back from the store (and decompressing them) a moment later.
/// Called after each commit on the committing caller's path (on SQLite once the writer is free again): it must be quick
/// and must not throw. Commits made at the same time may hand over their payloads out of position order.
/// </summary>
public interface IAcceptedHandoff
{
    /// <summary>The payloads of one commit, in the order their positions were taken.</summary>
    void Committed(IReadOnlyList<CommittedPayload> payloads);
}

/// <summary>How a store hands over what it committed.</summary>
public static class AcceptedHandoffExtensions
{
    /// <summary>
    /// Hands the payloads a transaction stored to <paramref name="handoff"/>, if any, once it committed (and before the
    /// rows' buffers are given back): their events are copied here, off the transaction. A handoff that fails loses
    /// nothing (the sinks read those payloads from the store), so its failure must not turn a commit into a failed append.
    /// </summary>
    public static void HandOff(this IAcceptedHandoff? handoff, IReadOnlyList<StoredPayload>? stored)
    {
        if (handoff is null || stored is not { Count: > 0 }) return;
        try
        {
            handoff.Committed([.. stored.Select(p => CommittedPayload.Of(p.RunPk, p.Position, p.Rows))]);
        }
        catch (Exception)
        {
            // Read back from the store instead: see above.
        }
    }
}

/// <summary>A payload a transaction put in a run's accepted stream: its position and its newly stored rows.</summary>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="Position">The payload's position in the run's accepted stream.</param>
/// <param name="Rows">Its newly stored rows (their bytes in the request's buffer).</param>
public readonly record struct StoredPayload(long RunPk, long Position, IReadOnlyList<EventRow> Rows);

/// <summary>One payload committed to a run's accepted stream, with its events as the store keeps them.</summary>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="Position">The payload's position in the run's accepted stream.</param>
/// <param name="Events">Its events in the order the store reads them back (time, then seq), exactly the stored bytes.</param>
/// <param name="Bytes">The size of the events' JSON.</param>
public sealed record CommittedPayload(long RunPk, long Position, IReadOnlyList<AcceptedEvent> Events, long Bytes)
{
    /// <summary>
    /// The payload of <paramref name="stored"/> (its newly stored rows) at <paramref name="position"/>. The JSON is copied:
    /// the rows' bytes live in the request's pooled buffer, which is given back after the acknowledgement.
    /// </summary>
    public static CommittedPayload Of(long runPk, long position, IReadOnlyList<EventRow> stored)
    {
        var events = new AcceptedEvent[stored.Count];
        long bytes = 0;
        for (var i = 0; i < stored.Count; i++)
        {
            var (message, seq, _) = stored[i];
            events[i] = new AcceptedEvent(position, seq, message.GeneratedAt, message.Facts.EventType, message.Json.ToArray());
            bytes += message.Json.Length;
        }
        // The same order as a read of the position from the store (its events' key is run, time, seq).
        Array.Sort(events, static (a, b) => a.GeneratedAt != b.GeneratedAt ? a.GeneratedAt.CompareTo(b.GeneratedAt) : a.Seq.CompareTo(b.Seq));
        return new CommittedPayload(runPk, position, events, bytes);
    }
}
