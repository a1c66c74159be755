using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using ZstdSharp;

namespace Sparkwatch.Broker;

/// <summary>
/// The binary form of an accepted <see cref="IngestBatch"/> as one JetStream message. Integers are little-endian;
/// <c>str</c> and <c>bytes</c> are a u32 length then that many bytes (<c>str</c>: strict UTF-8).
/// <code>
/// message  = "SWB1" (4 bytes: magic and version 1) + one zstd frame (content size set) of the body
/// body     = u8 flags             bit 0: FirstSeq present; bit 1: UploadComplete; bit 2: Retries = RebuiltWithNewCounters
///            str JobName, str RunId
///            [i64 FirstSeq]       only with flag bit 0
///            i32 MessageCount, i32 HeartbeatCount
///            i32 E, E × event     i32 Ordinal, i64 GeneratedAt, i64 Hash, str EventType,
///                                 u8 facts (bit 0 Timestamp, bit 1 AttemptId, bit 2 AppId, bit 3 AppName),
///                                 [i64 Timestamp] [str AttemptId] [str AppId] [str AppName], bytes Json
///            i32 Q, Q × quarantined  i32 Ordinal, i64 GeneratedAt, str Reason, bytes Content
///            i64 ReceivedAt       last, so that <see cref="MessageId"/> can leave it out
/// </code>
/// zstd keeps a listener's largest payloads (10,000 messages, tens of MB of JSON) within NATS's message size limit.
/// </summary>
public static class BatchCodec
{
    private static ReadOnlySpan<byte> Magic => "SWB1"u8;
    private const int MaxBodyBytes = 1 << 30;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The message of <paramref name="batch"/>, and its id for JetStream's duplicate window.</summary>
    public static (byte[] Message, string MessageId) Encode(IngestBatch batch)
    {
        var body = new ArrayBufferWriter<byte>(checked((int)Math.Min(MaxBodyBytes, 256 + batch.EventBytes + 64L * batch.MessageCount)));
        WriteBody(body, batch);
        using var compressor = new Compressor(1);
        var bound = Compressor.GetCompressBound(body.WrittenCount);
        var message = new byte[Magic.Length + bound];
        Magic.CopyTo(message);
        var length = compressor.Wrap(body.WrittenSpan, message.AsSpan(Magic.Length));
        return (message[..(Magic.Length + length)], MessageId(batch, body.WrittenSpan));
    }

    /// <summary>
    /// The batch's content hash: the same batch sent again (a retry, whenever it arrived) has the same id. A batch of
    /// heartbeats only (or an upload-complete mark) includes its arrival time, since each such call is news.
    /// </summary>
    private static string MessageId(IngestBatch batch, ReadOnlySpan<byte> body)
    {
        var hashed = batch.Events.Count + batch.Quarantined.Count > 0 ? body[..^sizeof(long)] : body;
        return Convert.ToHexStringLower(XxHash128.Hash(hashed));
    }

    /// <summary>Decodes a message made by <see cref="Encode"/>.</summary>
    /// <exception cref="BatchEncodingException">The message is not a batch of this version (a poison message).</exception>
    public static IngestBatch Decode(ReadOnlySpan<byte> message)
    {
        if (!message.StartsWith(Magic)) throw new BatchEncodingException("it does not start with SWB1 (not a Sparkwatch batch of version 1)");
        var frame = message[Magic.Length..];
        byte[] body;
        try
        {
            var size = Decompressor.GetDecompressedSize(frame);
            if (size > MaxBodyBytes) throw new BatchEncodingException($"its body would inflate to {size} bytes");
            body = new byte[size];
            using var decompressor = new Decompressor();
            if (decompressor.Unwrap(frame, body) != body.Length) throw new BatchEncodingException("its zstd frame is shorter than its content size");
        }
        catch (ZstdException e)
        {
            throw new BatchEncodingException($"its zstd frame is broken ({e.Message})");
        }
        try
        {
            return ReadBody(body);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or DecoderFallbackException or OverflowException)
        {
            throw new BatchEncodingException($"its body is malformed ({e.Message})");
        }
    }

    private static void WriteBody(ArrayBufferWriter<byte> w, IngestBatch batch)
    {
        var flags = (batch.FirstSeq is null ? 0 : 1) | (batch.UploadComplete ? 2 : 0) | (batch.Retries == RetryNumbering.RebuiltWithNewCounters ? 4 : 0);
        Put(w, (byte)flags);
        Put(w, batch.Run.JobName);
        Put(w, batch.Run.RunId);
        if (batch.FirstSeq is { } firstSeq) Put(w, firstSeq);
        Put(w, batch.MessageCount);
        Put(w, batch.HeartbeatCount);
        Put(w, batch.Events.Count);
        foreach (var e in batch.Events)
        {
            Put(w, e.Ordinal);
            Put(w, e.GeneratedAt);
            Put(w, e.Hash);
            var f = e.Facts;
            Put(w, f.EventType);
            Put(w, (byte)((f.Timestamp is null ? 0 : 1) | (f.AttemptId is null ? 0 : 2) | (f.AppId is null ? 0 : 4) | (f.AppName is null ? 0 : 8)));
            if (f.Timestamp is { } timestamp) Put(w, timestamp);
            if (f.AttemptId is { } attempt) Put(w, attempt);
            if (f.AppId is { } appId) Put(w, appId);
            if (f.AppName is { } appName) Put(w, appName);
            Put(w, e.Json.Span);
        }
        Put(w, batch.Quarantined.Count);
        foreach (var q in batch.Quarantined)
        {
            Put(w, q.Ordinal);
            Put(w, q.GeneratedAt);
            Put(w, q.Reason);
            Put(w, q.Content.Span);
        }
        Put(w, batch.ReceivedAt);
    }

    private static IngestBatch ReadBody(byte[] body)
    {
        var r = new Reader(body);
        var flags = r.Byte();
        if (flags > 7) throw new BatchEncodingException($"unknown flags {flags}");
        var run = new RunKey(r.String(), r.String());
        long? firstSeq = (flags & 1) != 0 ? r.Int64() : null;
        var messageCount = r.Count();
        var heartbeats = r.Count();
        var taken = new System.Collections.BitArray(messageCount);
        var events = new IngestMessage[r.Count()];
        for (var i = 0; i < events.Length; i++)
        {
            var ordinal = r.Ordinal(taken);
            var generatedAt = r.Int64();
            var hash = r.Int64();
            var type = r.String();
            var facts = r.Byte();
            var timestamp = (facts & 1) != 0 ? r.Int64() : (long?)null;
            var attempt = (facts & 2) != 0 ? r.String() : null;
            var appId = (facts & 4) != 0 ? r.String() : null;
            var appName = (facts & 8) != 0 ? r.String() : null;
            events[i] = new IngestMessage(ordinal, generatedAt, new EventFacts(type, timestamp, attempt, appId, appName), r.Bytes(), hash);
        }
        var quarantined = new QuarantinedMessage[r.Count()];
        for (var i = 0; i < quarantined.Length; i++)
        {
            quarantined[i] = new QuarantinedMessage(r.Ordinal(taken), r.Int64(), r.String(), r.Bytes());
        }
        var receivedAt = r.Int64();
        if (!r.AtEnd) throw new BatchEncodingException("bytes follow its last field");
        if (events.Length + quarantined.Length + heartbeats > messageCount) throw new BatchEncodingException("it holds more messages than its MessageCount");
        return new IngestBatch(run, firstSeq, receivedAt, events, quarantined, heartbeats, messageCount, uploadComplete: (flags & 2) != 0)
        {
            Retries = (flags & 4) != 0 ? RetryNumbering.RebuiltWithNewCounters : RetryNumbering.SameSeqs,
        };
    }

    private static void Put(ArrayBufferWriter<byte> w, byte value)
    {
        w.GetSpan(1)[0] = value;
        w.Advance(1);
    }

    private static void Put(ArrayBufferWriter<byte> w, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    private static void Put(ArrayBufferWriter<byte> w, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    private static void Put(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        Put(w, bytes.Length);
        w.Write(bytes);
    }

    private static void Put(ArrayBufferWriter<byte> w, string text)
    {
        var length = StrictUtf8.GetByteCount(text);
        Put(w, length);
        w.Advance(StrictUtf8.GetBytes(text, w.GetSpan(length)));
    }

    /// <summary>Reads the body's fields; every length and count is checked against what is left.</summary>
    private ref struct Reader(byte[] body)
    {
        private int _offset;

        public readonly bool AtEnd => _offset == body.Length;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public int Count()
        {
            var count = Int32();
            // Every counted item takes at least one byte, so a count over what is left is a lie.
            if (count < 0 || count > body.Length - _offset) throw new BatchEncodingException($"a count of {count} does not fit in what is left");
            return count;
        }

        /// <summary>A message's position: within the batch, and not taken by another message (the store keys rows by it).</summary>
        public int Ordinal(System.Collections.BitArray taken)
        {
            var ordinal = Int32();
            if (ordinal < 0 || ordinal >= taken.Length) throw new BatchEncodingException($"ordinal {ordinal} is outside its {taken.Length} messages");
            if (taken[ordinal]) throw new BatchEncodingException($"two messages have ordinal {ordinal}");
            taken[ordinal] = true;
            return ordinal;
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            var length = Int32();
            if (length < 0 || length > body.Length - _offset) throw new BatchEncodingException($"a length of {length} runs past its end");
            var memory = body.AsMemory(_offset, length);
            _offset += length;
            return memory;
        }

        public string String() => StrictUtf8.GetString(Bytes().Span);

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > body.Length - _offset) throw new BatchEncodingException("it ends in the middle of a field");
            var span = body.AsSpan(_offset, length);
            _offset += length;
            return span;
        }
    }
}

/// <summary>A broker message that is not a batch this version can read (a poison message).</summary>
/// <param name="reason">What is wrong with it.</param>
public sealed class BatchEncodingException(string reason) : Exception("The message is not a Sparkwatch batch: " + reason + ".");
