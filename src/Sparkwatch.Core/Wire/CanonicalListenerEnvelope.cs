using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// The fast path of <see cref="ListenerPayloadDecoder"/>: reads the envelope the listener really sends — each message
/// an object of exactly <c>generated_at</c> (a whole number), <c>message_type</c> (<c>spark-event</c> or
/// <c>heartbeat</c>) and <c>content</c> (a string) — unescaping each content with <see cref="JsonStringUnescaper"/>.
/// </summary>
/// <remarks>
/// It gives up (returns false) at the first thing outside that shape: another field, a repeated field, an escaped
/// name, a fraction, a lone surrogate escape, bytes that are not UTF-8, any JSON error. The decoder then reads the body
/// again with <see cref="Utf8JsonReader"/>, which explains every fault, so this path only has to be right about what it
/// accepts: the batch it reads must be byte for byte the one the general path would read.
/// The envelope's other fields (names, counters, <c>sent_at</c>) are read by a <see cref="Utf8JsonReader"/> of their own.
/// </remarks>
internal static class CanonicalListenerEnvelope
{
    // A value inside the envelope object may nest one level less than the general path's reader allows in all
    // (Utf8JsonReader's default, 64).
    private const int ReaderDefaultMaxDepth = 64;
    private static readonly JsonReaderOptions FieldOptions = new() { MaxDepth = ReaderDefaultMaxDepth - 1 };

    /// <summary>Reads <paramref name="body"/> into <paramref name="envelope"/>, writing contents into <paramref name="arena"/> from its start.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, PooledBuffer arena, out ListenerEnvelope envelope)
    {
        envelope = new ListenerEnvelope();
        var at = SkipWhitespace(body, 0);
        if (!Expect(body, ref at, (byte)'{')) return false;
        var arenaUsed = 0;
        bool sawJob = false, sawRun = false, sawCounters = false;
        bool? more = !TryCloseEmpty(body, ref at, (byte)'}');
        while (more == true)
        {
            if (!TryReadName(body, ref at, out var name) || !TryReadColon(body, ref at)) return false;
            if (name.SequenceEqual("messages"u8))
            {
                if (envelope.Messages is not null || !TryReadMessages(body, ref at, arena, ref arenaUsed, out envelope.Messages)) return false;
            }
            else if (name.SequenceEqual("job_name"u8))
            {
                if (sawJob || !TryReadField(body, ref at, (ref r) => WireJson.ReadString(ref r, "job_name"), out envelope.JobName)) return false;
                sawJob = true;
            }
            else if (name.SequenceEqual("run_id"u8))
            {
                if (sawRun || !TryReadField(body, ref at, (ref r) => WireJson.ReadString(ref r, "run_id"), out envelope.RunId)) return false;
                sawRun = true;
            }
            else if (name.SequenceEqual("counters"u8))
            {
                if (sawCounters || !TryReadField(body, ref at, (ref r) => WireJson.ReadMessageCounter(ref r, "message_counter", "payload_counter"), out envelope.MessageCounter)) return false;
                sawCounters = true;
            }
            else if (!TryReadField(body, ref at, SkipValue, out _)) return false;
            more = TryReadSeparator(body, ref at, (byte)'}');
        }
        if (more is null) return false;
        // The body is the envelope and nothing else.
        return SkipWhitespace(body, at) == body.Length;
    }

    private static bool TryReadMessages(ReadOnlySpan<byte> body, ref int at, PooledBuffer arena, ref int arenaUsed, out List<ListenerMessage>? messages)
    {
        messages = null;
        if (!Expect(body, ref at, (byte)'[')) return false;
        var read = new List<ListenerMessage>(ListenerEnvelope.MessageCapacityFor(body.Length));
        bool? more = !TryCloseEmpty(body, ref at, (byte)']');
        while (more == true)
        {
            if (!TryReadMessage(body, ref at, arena, ref arenaUsed, out var message)) return false;
            read.Add(message);
            more = TryReadSeparator(body, ref at, (byte)']');
        }
        if (more is null) return false;
        messages = read;
        return true;
    }

    private static bool TryReadMessage(ReadOnlySpan<byte> body, ref int at, PooledBuffer arena, ref int arenaUsed, out ListenerMessage message)
    {
        message = default;
        if (!Expect(body, ref at, (byte)'{')) return false;
        long? generatedAt = null;
        string? type = null;
        int contentStart = -1, contentLength = 0;
        for (var field = 0; field < 3; field++)
        {
            at = SkipWhitespace(body, at);
            if (field > 0 && !Expect(body, ref at, (byte)',')) return false;
            at = SkipWhitespace(body, at);
            if (!TryReadName(body, ref at, out var name) || !TryReadColon(body, ref at)) return false;
            if (name.SequenceEqual("content"u8) && contentStart < 0)
            {
                if (!Expect(body, ref at, (byte)'"')) return false;
                var destination = arena.AsSpan(arenaUsed);
                if (!JsonStringUnescaper.TryUnescape(body[at..], destination, out var consumed, out contentLength)) return false;
                if (!Utf8.IsValid(destination[..contentLength])) return false;
                at += consumed;
                contentStart = arenaUsed;
                arenaUsed += contentLength;
            }
            else if (name.SequenceEqual("generated_at"u8) && generatedAt is null)
            {
                if (!TryReadWholeNumber(body, ref at, out var value)) return false;
                generatedAt = value;
            }
            else if (name.SequenceEqual("message_type"u8) && type is null)
            {
                if (!TryReadName(body, ref at, out var value)) return false;
                type = value.SequenceEqual("spark-event"u8) ? ListenerPayloadDecoder.SparkEvent
                    : value.SequenceEqual("heartbeat"u8) ? ListenerPayloadDecoder.Heartbeat
                    : null;
                if (type is null) return false;
            }
            else return false;
        }
        at = SkipWhitespace(body, at);
        if (!Expect(body, ref at, (byte)'}')) return false;
        message = new ListenerMessage(generatedAt, type, contentStart, contentLength, Fault: null);
        return true;
    }

    /// <summary>Reads a string with no escape and no control byte (a field name or a message type).</summary>
    private static bool TryReadName(ReadOnlySpan<byte> body, ref int at, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!Expect(body, ref at, (byte)'"')) return false;
        var length = body[at..].IndexOfAny(NameEnds);
        if (length < 0 || body[at + length] != (byte)'"') return false;
        name = body.Slice(at, length);
        at += length + 1;
        return true;
    }

    private static readonly System.Buffers.SearchValues<byte> NameEnds = System.Buffers.SearchValues.Create(
        [(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    /// <summary>A JSON integer without sign, fraction or exponent that fits a <see cref="long"/>, followed by a delimiter.</summary>
    private static bool TryReadWholeNumber(ReadOnlySpan<byte> body, ref int at, out long value)
    {
        value = 0;
        var digits = body[at..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits <= 0 || digits > 18 || (digits > 1 && body[at] == (byte)'0')) return false;
        if (!Utf8Parser.TryParse(body.Slice(at, digits), out value, out _)) return false;
        at += digits;
        return At(body, at) is (byte)',' or (byte)'}' || (at < body.Length && EventNormalizer.IsJsonWhitespace(body[at]));
    }

    private delegate T FieldReader<T>(ref Utf8JsonReader reader);

    /// <summary>Reads one envelope field's value with a reader of its own; false on any error, for the general path to explain.</summary>
    private static bool TryReadField<T>(ReadOnlySpan<byte> body, ref int at, FieldReader<T> read, out T? value)
    {
        value = default;
        var reader = new Utf8JsonReader(body[at..], FieldOptions);
        try
        {
            value = read(ref reader);
        }
        catch (Exception e) when (e is JsonException or EnvelopeException or InvalidOperationException)
        {
            return false;
        }
        at += (int)reader.BytesConsumed;
        return true;
    }

    private static bool SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
        return true;
    }

    /// <summary>Just after an object's or an array's opening byte: true (and the closing byte read) when it is empty.</summary>
    private static bool TryCloseEmpty(ReadOnlySpan<byte> body, ref int at, byte close)
    {
        at = SkipWhitespace(body, at);
        return Expect(body, ref at, close);
    }

    /// <summary>After an item: true when a comma says another follows, false once the closing byte is read, null for anything else.</summary>
    private static bool? TryReadSeparator(ReadOnlySpan<byte> body, ref int at, byte close)
    {
        at = SkipWhitespace(body, at);
        bool? more = Expect(body, ref at, (byte)',') ? true : Expect(body, ref at, close) ? false : null;
        at = SkipWhitespace(body, at);
        return more;
    }

    /// <summary>Reads the colon after a field name, with the whitespace around it.</summary>
    private static bool TryReadColon(ReadOnlySpan<byte> body, ref int at)
    {
        at = SkipWhitespace(body, at);
        if (!Expect(body, ref at, (byte)':')) return false;
        at = SkipWhitespace(body, at);
        return true;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> body, int at)
    {
        while (at < body.Length && EventNormalizer.IsJsonWhitespace(body[at])) at++;
        return at;
    }

    private static int At(ReadOnlySpan<byte> body, int at) => at < body.Length ? body[at] : -1;

    private static bool Expect(ReadOnlySpan<byte> body, ref int at, byte expected)
    {
        if (At(body, at) != expected) return false;
        at++;
        return true;
    }
}
