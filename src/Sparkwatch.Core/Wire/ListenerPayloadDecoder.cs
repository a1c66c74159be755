using System.Text.Json;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// Decodes the Data Mechanics listener's request body (SPEC §1.1, already inflated) into an <see cref="IngestBatch"/>
/// with one forward pass of <see cref="Utf8JsonReader"/>: each <c>content</c> string is unescaped once into a pooled
/// arena that the batch owns, and checked by the <see cref="EventNormalizer"/>.
/// </summary>
public sealed class ListenerPayloadDecoder(EventNormalizer normalizer, int maxNameLength)
{
    private const string SparkEvent = "spark-event";
    private const string Heartbeat = "heartbeat";

    /// <summary>Decodes <paramref name="body"/>; throws <see cref="EnvelopeException"/> when it is not a listener payload.</summary>
    public IngestBatch Decode(ReadOnlySpan<byte> body, long receivedAt)
    {
        // Unescaped strings are never longer than their escaped form, so the body's length bounds the arena.
        var arena = PooledBuffer.Rent(body.Length);
        try
        {
            var envelope = ReadEnvelope(body, arena);
            var batch = BuildBatch(envelope, receivedAt, arena);
            return batch;
        }
        catch
        {
            arena.Dispose();
            throw;
        }
    }

    private IngestBatch BuildBatch(Envelope envelope, long receivedAt, PooledBuffer arena)
    {
        var run = new RunKey(
            WireNames.Require(envelope.JobName, "job_name", maxNameLength),
            WireNames.Require(envelope.RunId, "run_id", maxNameLength));
        var messages = envelope.Messages ?? throw new EnvelopeException("\"messages\" is missing: the body must carry an array of messages (it may be empty).");
        long? firstSeq = null;
        if (envelope.MessageCounter is { } counter)
        {
            if (counter < messages.Count)
            {
                throw new EnvelopeException($"\"counters.message_counter\" is {counter}, less than the {messages.Count} messages in this payload; it must be the run's running total including them.");
            }
            firstSeq = counter - messages.Count + 1;
        }
        var events = new List<IngestMessage>(messages.Count);
        var quarantined = new List<QuarantinedMessage>();
        var heartbeats = 0;
        for (var ordinal = 0; ordinal < messages.Count; ordinal++)
        {
            var m = messages[ordinal];
            if (m.Type == Heartbeat)
            {
                heartbeats++;
            }
            else if (m.Type != SparkEvent)
            {
                quarantined.Add(new QuarantinedMessage(ordinal, m.GeneratedAt, $"unknown message_type \"{m.Type}\" (expected \"{SparkEvent}\" or \"{Heartbeat}\")", arena.AsMemory(m.ContentStart, m.ContentLength)));
            }
            else if (normalizer.TryNormalize(ordinal, m.GeneratedAt, arena.AsMemory(m.ContentStart, m.ContentLength), out var message, out var rejected))
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

    private sealed record RawMessage(long GeneratedAt, string Type, int ContentStart, int ContentLength);

    private sealed class Envelope
    {
        public string? JobName;
        public string? RunId;
        public long? MessageCounter;
        public List<RawMessage>? Messages;
    }

    private static Envelope ReadEnvelope(ReadOnlySpan<byte> body, PooledBuffer arena)
    {
        var envelope = new Envelope();
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
                if (reader.ValueTextEquals("job_name"u8)) envelope.JobName = WireJson.ReadString(ref reader, "job_name");
                else if (reader.ValueTextEquals("run_id"u8)) envelope.RunId = WireJson.ReadString(ref reader, "run_id");
                else if (reader.ValueTextEquals("counters"u8)) envelope.MessageCounter = WireJson.ReadMessageCounter(ref reader, "message_counter", "payload_counter");
                else if (reader.ValueTextEquals("messages"u8)) envelope.Messages = ReadMessages(ref reader, arena, ref arenaUsed);
                else reader.Skip();
            }
        }
        catch (JsonException e)
        {
            throw new EnvelopeException($"The body is not valid JSON: {e.Message}");
        }
        return envelope;
    }

    private static List<RawMessage> ReadMessages(ref Utf8JsonReader reader, PooledBuffer arena, ref int arenaUsed)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw new EnvelopeException("\"messages\" must be an array.");
        var messages = new List<RawMessage>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = messages.Count;
            if (reader.TokenType != JsonTokenType.StartObject) throw new EnvelopeException($"messages[{index}] must be an object with generated_at, message_type and content.");
            long? generatedAt = null;
            string? type = null;
            int contentStart = arenaUsed, contentLength = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("generated_at"u8)) generatedAt = WireJson.ReadInt64(ref reader, $"messages[{index}].generated_at");
                else if (reader.ValueTextEquals("message_type"u8)) type = WireJson.ReadString(ref reader, $"messages[{index}].message_type");
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) throw new EnvelopeException($"messages[{index}].content must be a string (the Spark event serialised as JSON).");
                    contentStart = arenaUsed;
                    contentLength = reader.CopyString(arena.AsSpan(arenaUsed));
                    arenaUsed += contentLength;
                }
                else reader.Skip();
            }
            if (generatedAt is null) throw new EnvelopeException($"messages[{index}].generated_at is missing (epoch milliseconds).");
            if (type is null) throw new EnvelopeException($"messages[{index}].message_type is missing (\"spark-event\" or \"heartbeat\").");
            if (contentLength < 0)
            {
                if (type != Heartbeat) throw new EnvelopeException($"messages[{index}].content is missing.");
                contentLength = 0;
            }
            messages.Add(new RawMessage(generatedAt.Value, type, contentStart, contentLength));
        }
        return messages;
    }
}
