using System.IO.Hashing;

namespace Sparkwatch.Core.Ingest;

/// <summary>
/// The hash by which a retried message is told from a different message at the same position: XxHash64 of the content
/// as received (before compaction and redaction, so that a change of redaction rules between a payload and its retry
/// cannot make the retry look like a new message).
/// </summary>
public static class ContentHash
{
    /// <summary>The hash of one message's content.</summary>
    public static long Of(ReadOnlySpan<byte> content) => unchecked((long)XxHash64.HashToUInt64(content));
}
