using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Senders;

/// <summary>
/// One stream of a run as the listener keeps it (a driver; for our senders, one log): counters advance only once a
/// payload is acknowledged, so a retry carries the same sequence numbers and the collector stores it once.
/// </summary>
public sealed class RunStream(RunKey run)
{
    /// <summary>The run the messages belong to.</summary>
    public RunKey Run { get; } = run;

    /// <summary>Messages acknowledged so far (heartbeats included): the listener's <c>message_counter</c>.</summary>
    public long MessageCounter { get; set; }

    /// <summary>Payloads acknowledged so far: the listener's <c>payload_counter</c>.</summary>
    public long PayloadCounter { get; set; }

    /// <summary>The <c>generated_at</c> given to the latest event (<see cref="EventLogTime"/>).</summary>
    public long LastGeneratedAt { get; set; }
}

/// <summary>A message to send: an event's JSON line, or a heartbeat when <paramref name="Content"/> is null.</summary>
/// <param name="GeneratedAt">Epoch ms.</param>
/// <param name="Content">The event's JSON, as read from the log.</param>
public readonly record struct OutgoingMessage(long GeneratedAt, byte[]? Content)
{
    /// <summary>The message for one event line, at <see cref="EventLogTime.Next"/> of the stream's previous time and the line's Timestamp.</summary>
    public static OutgoingMessage ForEvent(RunStream stream, ReadOnlySpan<byte> line)
    {
        var timestamp = Core.Events.EventFactReader.TryRead(line, out var facts, out _) ? facts.Timestamp : null;
        stream.LastGeneratedAt = EventLogTime.Next(stream.LastGeneratedAt, timestamp);
        return new OutgoingMessage(stream.LastGeneratedAt, line.ToArray());
    }
}
