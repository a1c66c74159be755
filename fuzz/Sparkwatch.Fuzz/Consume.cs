using System.Text;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Fuzz;

/// <summary>
/// Reads every part of a decoded batch that the writer reads, so lazy faults surface inside the target, and checks
/// that every text the stores keep in a text column can be stored: valid UTF-16 (no lone surrogate) without NUL,
/// which PostgreSQL refuses (issue 8 §2: such a name is refused or its message quarantined, never stored).
/// </summary>
internal static class Consume
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Batch(IngestBatch batch)
    {
        StorableText(batch.Run.JobName, "job name");
        StorableText(batch.Run.RunId, "run id");
        long bytes = batch.EventBytes;
        foreach (var message in batch.Events)
        {
            _ = batch.SeqOf(message.Ordinal, runMaxSeq: 0);
            Facts(message.Facts);
        }
        foreach (var quarantined in batch.Quarantined) bytes += quarantined.Content.Length + quarantined.Reason.Length;
        GC.KeepAlive(bytes);
    }

    /// <summary>Checks the facts the stores keep in text columns.</summary>
    public static void Facts(EventFacts facts)
    {
        StorableText(facts.EventType, "event type");
        StorableText(facts.AppId, "App ID");
        StorableText(facts.AppName, "App Name");
        StorableText(facts.AttemptId, "App Attempt ID");
    }

    private static void StorableText(string? text, string what)
    {
        if (text is null) return;
        if (text.Contains('\0')) throw new FuzzFindingException($"The decoded {what} holds a NUL character, which PostgreSQL text columns refuse.");
        try
        {
            Strict.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new FuzzFindingException($"The decoded {what} holds a lone surrogate, which no store can keep as UTF-8: {e.Message}");
        }
    }
}

/// <summary>A broken invariant found without any exception from the decoder itself.</summary>
public sealed class FuzzFindingException(string message) : Exception(message);
