using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;
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
    /// <summary>Decodes a <c>/bulk</c> body; throws <see cref="EnvelopeException"/> or <see cref="PayloadTooLargeException"/>.</summary>
    public IngestBatch DecodeBulk(ReadOnlySpan<byte> body, long receivedAt)
    {
        var envelope = ReadEnvelope(body, wantData: true);
        RunKey run;
        long sentAt;
        try
        {
            run = RunOf(envelope.DmAppId);
            sentAt = envelope.SentAt ?? throw new EnvelopeException("\"sentAt\" is missing (epoch milliseconds).");
        }
        catch when (envelope.Data is not null)
        {
            ArrayPool<byte>.Shared.Return(envelope.Data);
            throw;
        }
        if (envelope.Data is null) throw new EnvelopeException("\"data\" is missing: a bulk payload carries base64 of gzip of the events, one JSON per line.");
        var (arena, length) = Inflate(envelope.Data, envelope.DataLength);
        try
        {
            return BuildBatch(run, envelope.MessageCounter, sentAt, receivedAt, arena, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(arena);
            throw;
        }
    }

    /// <summary>Decodes a <c>/heartbeat</c> or <c>/ack</c> body into a batch without messages.</summary>
    public IngestBatch DecodeSignal(ReadOnlySpan<byte> body, long receivedAt, bool uploadComplete)
    {
        var envelope = ReadEnvelope(body, wantData: false);
        return new IngestBatch(RunOf(envelope.DmAppId), null, receivedAt, [], [], heartbeatCount: 0, messageCount: 0, uploadComplete);
    }

    /// <summary>The run of a Delight app id: the job is the id without its trailing <c>-&lt;uuid&gt;</c>, the run is the whole id.</summary>
    public RunKey RunOf(string? dmAppId)
    {
        var runId = WireNames.Require(dmAppId, "dmAppId", maxNameLength);
        var suffix = UuidSuffix().Match(runId);
        var jobName = suffix.Success && suffix.Index > 0 ? runId[..suffix.Index] : runId;
        return new RunKey(jobName, runId);
    }

    private IngestBatch BuildBatch(RunKey run, long? messageCounter, long sentAt, long receivedAt, byte[] arena, int length)
    {
        var events = new List<IngestMessage>();
        var quarantined = new List<QuarantinedMessage>();
        var ordinal = 0;
        ReadOnlyMemory<byte> rest = arena.AsMemory(0, length);
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

    /// <summary>Inflates the base64-decoded <paramref name="compressed"/> (a pooled buffer it returns) into another pooled buffer, stopping at the limit.</summary>
    private (byte[] Arena, int Length) Inflate(byte[] compressed, int compressedLength)
    {
        try
        {
            if (compressedLength < 2 || compressed[0] != 0x1f || compressed[1] != 0x8b)
            {
                throw new EnvelopeException("\"data\" decodes from base64 but is not gzip (no 1f 8b magic bytes): it must be base64 of gzip of the events.");
            }
            using var gzip = new GZipStream(new MemoryStream(compressed, 0, compressedLength, writable: false), CompressionMode.Decompress);
            return ReadBounded(gzip);
        }
        catch (InvalidDataException e)
        {
            throw new EnvelopeException($"\"data\" is not valid gzip: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private (byte[] Arena, int Length) ReadBounded(Stream source)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    buffer = PooledBytes.Grow(buffer, length, PooledBytes.NextSize(buffer.Length, maxInflatedBytes));
                }
                var read = source.Read(buffer, length, buffer.Length - length);
                if (read == 0) return (buffer, length);
                length += read;
                if (length > maxInflatedBytes)
                {
                    throw new PayloadTooLargeException($"\"data\" inflates past {maxInflatedBytes} bytes (Sparkwatch:Limits:MaxInflatedBytes); raise the limit or have the agent send smaller payloads.");
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private sealed class Envelope
    {
        public string? DmAppId;
        public long? SentAt;
        public long? MessageCounter;
        public byte[]? Data;
        public int DataLength;
    }

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
                if (reader.ValueTextEquals("dmAppId"u8)) envelope.DmAppId = WireJson.ReadString(ref reader, "dmAppId");
                else if (reader.ValueTextEquals("sentAt"u8)) envelope.SentAt = WireJson.ReadInt64(ref reader, "sentAt");
                else if (reader.ValueTextEquals("counters"u8)) envelope.MessageCounter = WireJson.ReadMessageCounter(ref reader, "messageCounter", "payloadCounter");
                else if (wantData && reader.ValueTextEquals("data"u8) && envelope.Data is null) envelope.DataLength = ReadData(ref reader, out envelope.Data);
                else reader.Skip();
            }
        }
        catch (Exception e)
        {
            if (envelope.Data is { } data) ArrayPool<byte>.Shared.Return(data);
            if (e is JsonException) throw new EnvelopeException($"The body is not valid JSON: {e.Message}");
            throw;
        }
        return envelope;
    }

    /// <summary>Base64-decodes the <c>data</c> string straight from the body into a pooled buffer.</summary>
    private static int ReadData(ref Utf8JsonReader reader, out byte[] decoded)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String) throw new EnvelopeException("\"data\" must be a string (base64 of gzip of the events).");
        var text = reader.ValueSpan;
        byte[]? unescaped = null;
        // Base64 has no characters that need escaping, but a JSON writer may still escape '/' or '+'.
        if (reader.ValueIsEscaped)
        {
            unescaped = ArrayPool<byte>.Shared.Rent(text.Length);
            text = unescaped.AsSpan(0, reader.CopyString(unescaped));
        }
        decoded = ArrayPool<byte>.Shared.Rent(Math.Max(Base64.GetMaxDecodedFromUtf8Length(text.Length), 1));
        try
        {
            if (Base64.DecodeFromUtf8(text, decoded, out _, out var length) != OperationStatus.Done)
            {
                throw new EnvelopeException("\"data\" is not valid base64: it must be base64 of gzip of the events, one JSON per line.");
            }
            return length;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(decoded);
            decoded = null!;
            throw;
        }
        finally
        {
            if (unescaped is not null) ArrayPool<byte>.Shared.Return(unescaped);
        }
    }

    [GeneratedRegex("-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidSuffix();
}
