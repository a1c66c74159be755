using System.Buffers.Binary;
using System.IO.Hashing;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Appending;

/// <summary>
/// The content hash stored with each message (<see cref="ContentHash"/> of the content as received), by which a retry is
/// told from a different message at the same seq, and the combined hash of a payload's messages.
/// </summary>
public static class MessageHashes
{
    /// <summary>Each message's hash by its ordinal in the payload (0 for heartbeats, which store nothing).</summary>
    public static long[] ByOrdinal(IngestBatch batch)
    {
        var hashes = new long[batch.MessageCount];
        foreach (var e in batch.Events) hashes[e.Ordinal] = e.Hash;
        foreach (var q in batch.Quarantined) hashes[q.Ordinal] = ContentHash.Of(q.Content.Span);
        return hashes;
    }

    /// <summary>One hash of the first <paramref name="count"/> messages, in order (a sequence, not a set: repeats count).</summary>
    public static long OfPrefix(long[] byOrdinal, int count)
    {
        var hash = new XxHash64();
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, byOrdinal[i]);
            hash.Append(bytes);
        }
        return unchecked((long)hash.GetCurrentHashAsUInt64());
    }
}
