using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// The run-wide seq of a payload's first message from the client's running message total (SPEC §1.1:
/// <c>seq = message_counter − k + n</c>), shared by every decoder. Absurd totals are refused before they can make later
/// seqs wrap around or collide.
/// </summary>
public static class WireCounters
{
    /// <summary>
    /// Default of the highest message total accepted: 2^40 − 1, a trillion messages per run stream. Seqs stay below it,
    /// which leaves the bits above for the store's own numbering.
    /// </summary>
    public const long DefaultMaxMessageCounter = (1L << 40) - 1;

    /// <summary>
    /// The seq of the first of <paramref name="messageCount"/> messages, or <c>null</c> when the client sent no counter;
    /// throws an <see cref="EnvelopeException"/> naming <paramref name="field"/> when the counter is negative, smaller than
    /// the payload, or above <paramref name="maxMessageCounter"/>.
    /// </summary>
    public static long? FirstSeq(long? messageCounter, int messageCount, long maxMessageCounter, string field)
    {
        if (messageCounter is not { } counter) return null;
        if (counter < 0) throw new EnvelopeException($"\"{field}\" is {counter}: a running total of messages cannot be negative.");
        if (counter < messageCount)
        {
            throw new EnvelopeException($"\"{field}\" is {counter}, less than the {messageCount} messages in this payload; it must be the run's running total including them.");
        }
        if (counter > maxMessageCounter)
        {
            throw new EnvelopeException($"\"{field}\" is {counter}, above the {maxMessageCounter} messages a run may count (Sparkwatch:Limits:MaxMessageCounter); a running total this large is not a real counter.");
        }
        return counter - messageCount + 1;
    }
}
