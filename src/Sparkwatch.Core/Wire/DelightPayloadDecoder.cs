using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// Decodes the Delight agent's requests (SPEC §1.2) into the same <see cref="IngestBatch"/> as the listener's:
/// <c>/bulk</c> carries base64 of gzip of newline-separated events, <c>/heartbeat</c> and <c>/ack</c> only the app id.
/// </summary>
public sealed partial class DelightPayloadDecoder(EventNormalizer normalizer, int maxNameLength, long maxInflatedBytes, long maxMessageCounter = WireCounters.DefaultMaxMessageCounter)
{
    /// <summary>
    /// Decodes a <c>/bulk</c> body; the decoded and the inflated <c>data</c> are reserved in <paramref name="reservation"/> as
    /// they are taken. Throws <see cref="EnvelopeException"/> or <see cref="PayloadTooLargeException"/>.
    /// </summary>
    public async ValueTask<IngestBatch> DecodeBulkAsync(PooledBuffer body, long receivedAt, IngestMemoryBudget.Reservation? reservation,
        CancellationToken cancellationToken)
    {
        var envelope = ReadEnvelope(body.Span, wantData: true);
        var run = RunOf(envelope.DmAppId);
        var sentAt = envelope.SentAt ?? throw new EnvelopeException("\"sentAt\" is missing (epoch milliseconds).");
        if (envelope.Data is not { } data) throw new EnvelopeException("\"data\" is missing: a bulk payload carries base64 of gzip of the events, one JSON per line.");
        PooledBuffer arena;
        using (var compressed = await DecodeBase64Async(body, data, reservation, cancellationToken))
        {
            arena = await GzipMember.InflateAsync(compressed, maxInflatedBytes, "Sparkwatch:Limits:MaxInflatedBytes", "\"data\" (base64 of gzip of the events)", reservation, cancellationToken);
        }
        try
        {
            return BuildBatch(run, envelope.MessageCounter, sentAt, receivedAt, arena);
        }
        catch
        {
            arena.Dispose();
            throw;
        }
    }

    /// <summary>Decodes a <c>/heartbeat</c> body: a batch without messages that counts one heartbeat.</summary>
    public IngestBatch DecodeHeartbeat(ReadOnlySpan<byte> body, long receivedAt) => DecodeSignal(body, receivedAt, heartbeats: 1, uploadComplete: false);

    /// <summary>Decodes an <c>/ack</c> body: a batch without messages that says the run's upload is complete.</summary>
    public IngestBatch DecodeAck(ReadOnlySpan<byte> body, long receivedAt) => DecodeSignal(body, receivedAt, heartbeats: 0, uploadComplete: true);

    private IngestBatch DecodeSignal(ReadOnlySpan<byte> body, long receivedAt, int heartbeats, bool uploadComplete)
    {
        var envelope = ReadEnvelope(body, wantData: false);
        return new IngestBatch(RunOf(envelope.DmAppId), null, receivedAt, [], [], heartbeats, messageCount: 0, uploadComplete);
    }

    /// <summary>The run of a Delight app id: the job is the id without its trailing <c>-&lt;uuid&gt;</c>, the run is the whole id.</summary>
    public RunKey RunOf(string? dmAppId)
    {
        var runId = WireNames.Require(dmAppId, "dmAppId", maxNameLength);
        var suffix = UuidSuffix().Match(runId);
        var jobName = suffix.Success && suffix.Index > 0 ? runId[..suffix.Index] : runId;
        return new RunKey(jobName, runId);
    }

    private IngestBatch BuildBatch(RunKey run, long? messageCounter, long sentAt, long receivedAt, PooledBuffer arena)
    {
        var events = new List<IngestMessage>();
        var quarantined = new List<QuarantinedMessage>();
        var ordinal = 0;
        var rest = arena.Memory;
        while (!rest.IsEmpty)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? ReadOnlyMemory<byte>.Empty : rest[(newline + 1)..];
            if (line.Span.Trim((byte)'\r').IsEmpty) continue;
            if (normalizer.TryNormalize(run, ordinal, sentAt, line, out var message, out var rejected)) events.Add(message);
            else quarantined.Add(rejected!);
            ordinal++;
        }
        var firstSeq = WireCounters.FirstSeq(messageCounter, ordinal, maxMessageCounter, "counters.messageCounter");
        return new IngestBatch(run, firstSeq, receivedAt, events, quarantined, heartbeatCount: 0, messageCount: ordinal, pooledArena: arena) { Retries = RetryNumbering.RebuiltWithNewCounters };
    }

    private sealed class Envelope
    {
        public string? DmAppId;
        public long? SentAt;
        public long? MessageCounter;
        public DataToken? Data;
    }

    /// <summary>Where the <c>data</c> string lies in the body: its bytes between the quotes, as sent.</summary>
    private readonly record struct DataToken(int Start, int Length, bool Escaped);

    private static Envelope ReadEnvelope(ReadOnlySpan<byte> body, bool wantData)
    {
        var envelope = new Envelope();
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EnvelopeException("The body must be a JSON object (the Delight agent's payload with dmAppId).");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (WireJson.NameIs(ref reader, "dmAppId"u8)) envelope.DmAppId = WireJson.ReadString(ref reader, "dmAppId");
                else if (WireJson.NameIs(ref reader, "sentAt"u8)) envelope.SentAt = WireJson.ReadInt64(ref reader, "sentAt");
                else if (WireJson.NameIs(ref reader, "counters"u8)) envelope.MessageCounter = WireJson.ReadMessageCounter(ref reader, "messageCounter", "payloadCounter");
                else if (wantData && WireJson.NameIs(ref reader, "data"u8) && envelope.Data is null) envelope.Data = ReadData(ref reader);
                else reader.Skip();
            }
            // Anything but whitespace after the object makes Read throw: a body with trailing bytes is not one envelope.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new EnvelopeException($"The body is not valid JSON: {e.Message}");
        }
        return envelope;
    }

    /// <summary>Finds the <c>data</c> string; it is decoded later, into a buffer reserved in the budget first.</summary>
    private static DataToken ReadData(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String) throw new EnvelopeException("\"data\" must be a string (base64 of gzip of the events).");
        // The reader runs over one contiguous body, so the value starts right after the token's opening quote.
        return new DataToken(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length, reader.ValueIsEscaped);
    }

    /// <summary>Base64-decodes <paramref name="data"/> from the body into a new buffer reserved in <paramref name="reservation"/>.</summary>
    private static async ValueTask<PooledBuffer> DecodeBase64Async(PooledBuffer body, DataToken data, IngestMemoryBudget.Reservation? reservation,
        CancellationToken cancellationToken)
    {
        // Escaped text is unescaped into the buffer, then decoded in place; plain text is decoded straight from the body.
        var size = data.Escaped ? data.Length : Base64.GetMaxDecodedFromUtf8Length(data.Length);
        var decoded = await PooledBuffer.RentAsync(size, reservation, cancellationToken);
        try
        {
            decoded.Advance(DecodeBase64(body.Span, data, decoded.AsSpan(0)));
            return decoded;
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    private static int DecodeBase64(ReadOnlySpan<byte> body, DataToken data, Span<byte> into)
    {
        OperationStatus status;
        int length;
        if (data.Escaped)
        {
            // Base64 has no characters that need escaping, but a JSON writer may still escape '/' or '+'.
            var reader = new Utf8JsonReader(body.Slice(data.Start - 1, data.Length + 2));
            reader.Read();
            int unescaped;
            try
            {
                unescaped = reader.CopyString(into);
            }
            catch (InvalidOperationException)
            {
                throw new EnvelopeException("\"data\" is not text (invalid UTF-8 or a lone surrogate escape): it must be base64 of gzip of the events.");
            }
            status = Base64.DecodeFromUtf8InPlace(into[..unescaped], out length);
        }
        else
        {
            status = Base64.DecodeFromUtf8(body.Slice(data.Start, data.Length), into, out _, out length);
        }
        return status == OperationStatus.Done
            ? length
            : throw new EnvelopeException("\"data\" is not valid base64: it must be base64 of gzip of the events, one JSON per line.");
    }

    [GeneratedRegex("-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidSuffix();
}
