using System.Text.Json;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Ingest;

/// <summary>
/// Turns one message's content into a stored event or a quarantined message. Shared by every decoder, so every
/// client's events are validated, redacted and framed the same way.
/// </summary>
/// <param name="redactor">Redaction for runs that do not set their own <c>spark.redaction.regex</c>.</param>
/// <param name="runPatternCapacity">How many runs' own redaction patterns are remembered at once.</param>
public sealed class EventNormalizer(SparkRedactor redactor, int runPatternCapacity = RunRedactors.DefaultCapacity)
{
    private readonly RunRedactors _redactors = new(redactor, runPatternCapacity);

    /// <summary>A normalizer with Spark's default redaction.</summary>
    public static EventNormalizer Default { get; } = new(SparkRedactor.Default);

    /// <summary>Validates <paramref name="content"/>, a message of <paramref name="run"/>, and either returns the event or the quarantine record.</summary>
    public bool TryNormalize(RunKey run, int ordinal, long generatedAt, ReadOnlyMemory<byte> content, out IngestMessage message, out QuarantinedMessage? quarantined)
    {
        var json = TrimJsonWhitespace(content);
        var hash = ContentHash.Of(json.Span);
        if (!EventFactReader.TryRead(json.Span, out var facts, out var reason))
        {
            message = default;
            quarantined = new QuarantinedMessage(ordinal, generatedAt, reason!, content);
            return false;
        }
        // A line break inside an event (pretty-printed JSON) would split it in an NDJSON stream or event log.
        if (json.Span.IndexOfAny((byte)'\n', (byte)'\r') >= 0) json = Compact(json.Span);
        if (SparkRedactor.Redacts(facts.EventType))
        {
            var runRedactor = facts.EventType == SparkEventTypes.EnvironmentUpdate ? _redactors.Learn(run, json.Span) : _redactors.For(run);
            if (runRedactor.Redact(json.Span, facts.EventType) is { } redacted) json = redacted;
        }
        message = new IngestMessage(ordinal, generatedAt, facts, json, hash);
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

    /// <summary>True for the four bytes JSON allows between tokens.</summary>
    internal static bool IsJsonWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

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
