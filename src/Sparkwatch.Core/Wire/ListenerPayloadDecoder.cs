using System.Text.Json;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// Decodes the Data Mechanics listener's request body (SPEC §1.1, already inflated) into an <see cref="IngestBatch"/>:
/// each <c>content</c> string is unescaped once into a pooled arena that the batch owns, and checked by the
/// <see cref="EventNormalizer"/>. The envelope the listener really sends is read by <see cref="CanonicalListenerEnvelope"/>;
/// any other body by one forward pass of <see cref="Utf8JsonReader"/>, which explains every fault.
/// </summary>
/// <remarks>
/// The listener resends a refused payload for ever, so only a fault of the envelope itself refuses it
/// (<see cref="EnvelopeException"/>); a fault inside one message quarantines that message, in its seq position.
/// </remarks>
public sealed class ListenerPayloadDecoder(EventNormalizer normalizer, int maxNameLength, long maxMessageCounter = WireCounters.DefaultMaxMessageCounter)
{
    internal const string SparkEvent = "spark-event";
    internal const string Heartbeat = "heartbeat";

    /// <summary>
    /// Whether <see cref="CanonicalListenerEnvelope"/> reads the body first (the general reader reads what it gives up
    /// on). Off only in tests that compare the two paths.
    /// </summary>
    internal bool ReadsCanonicalEnvelopeFirst { get; init; } = true;

    /// <summary>Decodes <paramref name="body"/>; throws <see cref="EnvelopeException"/> when it is not a listener payload.</summary>
    public IngestBatch Decode(ReadOnlySpan<byte> body, long receivedAt)
    {
        // Unescaped strings and copied raw values come from disjoint parts of the body, so its length bounds the arena.
        var arena = PooledBuffer.Rent(body.Length);
        try
        {
            var envelope = ReadsCanonicalEnvelopeFirst && CanonicalListenerEnvelope.TryRead(body, arena, out var canonical)
                ? canonical
                : ReadEnvelope(body, arena);
            var batch = BuildBatch(envelope, receivedAt, arena);
            return batch;
        }
        catch
        {
            arena.Dispose();
            throw;
        }
    }

    private IngestBatch BuildBatch(ListenerEnvelope envelope, long receivedAt, PooledBuffer arena)
    {
        var run = new RunKey(
            WireNames.Require(envelope.JobName, "job_name", maxNameLength),
            WireNames.Require(envelope.RunId, "run_id", maxNameLength));
        var messages = envelope.Messages ?? throw new EnvelopeException("\"messages\" is missing: the body must carry an array of messages (it may be empty).");
        var firstSeq = WireCounters.FirstSeq(envelope.MessageCounter, messages.Count, maxMessageCounter, "counters.message_counter");
        var events = new List<IngestMessage>(messages.Count);
        var quarantined = new List<QuarantinedMessage>();
        var heartbeats = 0;
        for (var ordinal = 0; ordinal < messages.Count; ordinal++)
        {
            var m = messages[ordinal];
            var content = arena.AsMemory(m.ContentStart, m.ContentLength);
            var generatedAt = m.GeneratedAt ?? receivedAt;
            if (m.Fault is not null)
            {
                quarantined.Add(new QuarantinedMessage(ordinal, generatedAt, m.Fault, content));
            }
            else if (m.Type == Heartbeat)
            {
                heartbeats++;
            }
            else if (m.Type != SparkEvent)
            {
                quarantined.Add(new QuarantinedMessage(ordinal, generatedAt, $"unknown message_type \"{JsonEncodedText.Encode(m.Type!)}\" (expected \"{SparkEvent}\" or \"{Heartbeat}\")", content));
            }
            else if (normalizer.TryNormalize(run, ordinal, generatedAt, content, out var message, out var rejected))
            {
                events.Add(message);
            }
            else
            {
                quarantined.Add(rejected!);
            }
        }
        return new IngestBatch(run, firstSeq, receivedAt, events, quarantined, heartbeats, messages.Count, pooledArena: arena);
    }

    private static ListenerEnvelope ReadEnvelope(ReadOnlySpan<byte> body, PooledBuffer arena)
    {
        var envelope = new ListenerEnvelope();
        var reader = new Utf8JsonReader(body);
        var arenaUsed = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EnvelopeException("The body must be a JSON object (the listener's envelope with job_name, run_id, counters and messages).");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (WireJson.NameIs(ref reader, "job_name"u8)) envelope.JobName = WireJson.ReadString(ref reader, "job_name");
                else if (WireJson.NameIs(ref reader, "run_id"u8)) envelope.RunId = WireJson.ReadString(ref reader, "run_id");
                else if (WireJson.NameIs(ref reader, "counters"u8)) envelope.MessageCounter = WireJson.ReadMessageCounter(ref reader, "message_counter", "payload_counter");
                else if (WireJson.NameIs(ref reader, "messages"u8)) envelope.Messages = ReadMessages(ref reader, body, arena, ref arenaUsed);
                else reader.Skip();
            }
            // Anything after the envelope (a second object, garbage) throws here: the body is one JSON value or nothing.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new EnvelopeException($"The body is not valid JSON: {e.Message}");
        }
        return envelope;
    }

    private static List<ListenerMessage> ReadMessages(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, PooledBuffer arena, ref int arenaUsed)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw new EnvelopeException($"\"messages\" must be an array, not {WireJson.Describe(reader.TokenType)}.");
        var messages = new List<ListenerMessage>(ListenerEnvelope.MessageCapacityFor(body.Length));
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var fault = $"the message is {WireJson.Describe(reader.TokenType)}, not an object with generated_at, message_type and content";
                var (start, length) = CopyRawValue(ref reader, body, arena, ref arenaUsed);
                messages.Add(new ListenerMessage(null, null, start, length, fault));
                continue;
            }
            messages.Add(ReadMessage(ref reader, body, arena, ref arenaUsed));
        }
        return messages;
    }

    /// <summary>Reads one message object; any fault in it is recorded (the first one found), never thrown.</summary>
    private static ListenerMessage ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, PooledBuffer arena, ref int arenaUsed)
    {
        long? generatedAt = null;
        string? type = null, fault = null;
        int contentStart = arenaUsed, contentLength = -1;
        bool sawGeneratedAt = false, sawType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (WireJson.NameIs(ref reader, "generated_at"u8))
            {
                sawGeneratedAt = true;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)) generatedAt = value;
                else fault ??= $"generated_at must be an integer (epoch milliseconds), not {WireJson.Describe(reader.TokenType)}";
                reader.Skip();
            }
            else if (WireJson.NameIs(ref reader, "message_type"u8))
            {
                sawType = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) fault ??= $"message_type must be a string, not {WireJson.Describe(reader.TokenType)}";
                // Nearly every message is a Spark event: no new string for its type.
                else if (!reader.ValueIsEscaped && reader.ValueTextEquals("spark-event"u8)) type = SparkEvent;
                else if (!WireJson.TryGetText(ref reader, out type)) fault ??= $"message_type is not text: {WireJson.NotTextReason}";
                else if (type!.Contains('\0')) fault ??= "message_type contains a NUL character (\\u0000)";
                reader.Skip();
            }
            else if (WireJson.NameIs(ref reader, "content"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    fault ??= $"content must be a string (the Spark event serialised as JSON), not {WireJson.Describe(reader.TokenType)}";
                    (contentStart, contentLength) = CopyRawValue(ref reader, body, arena, ref arenaUsed);
                }
                else if (!TryCopyString(ref reader, arena, ref arenaUsed, out contentStart, out contentLength))
                {
                    fault ??= $"content is not text: {WireJson.NotTextReason}";
                    (contentStart, contentLength) = CopyRawValue(ref reader, body, arena, ref arenaUsed);
                }
            }
            else reader.Skip();
        }
        if (!sawGeneratedAt) fault ??= "generated_at is missing (epoch milliseconds)";
        if (!sawType) fault ??= $"message_type is missing (\"{SparkEvent}\" or \"{Heartbeat}\")";
        if (contentLength < 0)
        {
            if (type != Heartbeat) fault ??= "content is missing";
            contentStart = arenaUsed;
            contentLength = 0;
        }
        return new ListenerMessage(generatedAt, type, contentStart, contentLength, fault);
    }

    private static bool TryCopyString(ref Utf8JsonReader reader, PooledBuffer arena, ref int arenaUsed, out int start, out int length)
    {
        start = arenaUsed;
        try
        {
            length = reader.CopyString(arena.AsSpan(arenaUsed));
            arenaUsed += length;
            return true;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone surrogate escape: CopyString checks what it unescapes.
            length = 0;
            return false;
        }
    }

    /// <summary>Copies the JSON text of the current value (skipping over it) into the arena, for a quarantined message.</summary>
    private static (int Start, int Length) CopyRawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, PooledBuffer arena, ref int arenaUsed)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = body[start..(int)reader.BytesConsumed];
        raw.CopyTo(arena.AsSpan(arenaUsed));
        arenaUsed += raw.Length;
        return (arenaUsed - raw.Length, raw.Length);
    }
}
