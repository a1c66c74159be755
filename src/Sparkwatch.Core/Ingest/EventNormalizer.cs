using System.Text.Json;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Ingest;

/// <summary>
/// Turns one message's content into a stored event or a quarantined message. Shared by every decoder, so every
/// client's events are validated, redacted and framed the same way.
/// </summary>
public sealed class EventNormalizer(SparkRedactor redactor)
{
    /// <summary>A normalizer with Spark's default redaction.</summary>
    public static EventNormalizer Default { get; } = new(SparkRedactor.Default);

    /// <summary>Validates <paramref name="content"/> and either returns the event or the quarantine record.</summary>
    public bool TryNormalize(int ordinal, long generatedAt, ReadOnlyMemory<byte> content, out IngestMessage message, out QuarantinedMessage? quarantined)
    {
        var json = TrimJsonWhitespace(content);
        if (!EventFactReader.TryRead(json.Span, out var facts, out var reason))
        {
            message = default;
            quarantined = new QuarantinedMessage(ordinal, generatedAt, reason!, content);
            return false;
        }
        // A line break inside an event (pretty-printed JSON) would split it in an NDJSON stream or event log.
        if (json.Span.IndexOfAny((byte)'\n', (byte)'\r') >= 0) json = Compact(json.Span);
        if (facts.EventType == SparkEventTypes.EnvironmentUpdate && redactor.Redact(json.Span) is { } redacted) json = redacted;
        message = new IngestMessage(ordinal, generatedAt, facts, json);
        quarantined = null;
        return true;
    }

    private static ReadOnlyMemory<byte> TrimJsonWhitespace(ReadOnlyMemory<byte> content)
    {
        var span = content.Span;
        int start = 0, end = span.Length;
        while (start < end && IsJsonWhitespace(span[start])) start++;
        while (end > start && IsJsonWhitespace(span[end - 1])) end--;
        return content[start..end];
    }

    private static bool IsJsonWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static byte[] Compact(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1024 });
        using var document = JsonDocument.ParseValue(ref reader);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1024 }))
        {
            document.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
