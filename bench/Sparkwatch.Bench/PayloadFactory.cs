using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sparkwatch.Bench;

/// <summary>One listener payload, compressed before any clock starts.</summary>
/// <param name="Body">The gzip body: gzip members for the envelope head, the messages and the tail (gzip allows concatenated members).</param>
/// <param name="Events">How many events it carries.</param>
/// <param name="RawEventBytes">Size of those events' own JSON, uncompressed.</param>
internal sealed record Payload(byte[][] Body, int Events, long RawEventBytes)
{
    public HttpContent ToContent() => new SegmentsContent(Body);

    public long CompressedBytes => Body.Sum(b => (long)b.Length);
}

/// <summary>
/// Builds the payloads of synthetic runs: a run of n events replays the source events cyclically, with generated_at
/// increasing (three events per millisecond) and the listener's counters. The messages part of a payload depends
/// only on its event range, so runs share its JSON; each payload is gzipped whole, as one gzip member (what the real
/// listener sends, and all the service accepts).
/// </summary>
internal sealed class PayloadFactory(SourceEvents source)
{
    private const long BaseTime = 1_700_000_000_000;
    private readonly ConcurrentDictionary<(long From, int Count), (byte[] Json, long RawBytes)> _messages = new();

    public IReadOnlyList<Payload> Run(string jobName, string runId, long events, int payloadSize)
    {
        var payloads = new Payload[(int)((events + payloadSize - 1) / payloadSize)];
        for (var k = 0; k < payloads.Length; k++)
        {
            var from = (long)k * payloadSize;
            var count = (int)Math.Min(payloadSize, events - from);
            var (messages, raw) = _messages.GetOrAdd((from, count), key => BuildMessages(key.From, key.Count));
            payloads[k] = new Payload([Gzip([.. Head(jobName, runId, from + count, k + 1, BaseTime + (from + count) / 3), .. messages, .. "]}"u8])], count, raw);
        }
        return payloads;
    }

    /// <summary>Builds many runs' payloads on all cores (the server is idle while this runs).</summary>
    public IReadOnlyList<IReadOnlyList<Payload>> Runs(IReadOnlyList<(string Job, string Run, long Events, int PayloadSize)> runs)
    {
        var built = new IReadOnlyList<Payload>[runs.Count];
        Parallel.For(0, runs.Count, i => built[i] = Run(runs[i].Job, runs[i].Run, runs[i].Events, runs[i].PayloadSize));
        return built;
    }

    /// <summary>
    /// One payload of generated events (event JSON lines), as payload <paramref name="payloadCounter"/> of the run whose
    /// earlier payloads carried <paramref name="eventsBefore"/> events; <c>generated_at</c> is <paramref name="generatedAt"/>.
    /// </summary>
    public static Payload FromLines(string jobName, string runId, IReadOnlyList<string> lines, long eventsBefore, int payloadCounter, long generatedAt)
    {
        var json = new MemoryStream();
        long raw = 0;
        json.Write(Head(jobName, runId, eventsBefore + lines.Count, payloadCounter, generatedAt));
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) json.WriteByte((byte)',');
            json.Write(Encoding.UTF8.GetBytes($"{{\"generated_at\":{generatedAt},\"message_type\":\"spark-event\",\"content\":\""));
            json.Write(JsonEncodedText.Encode(lines[i], System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
            json.Write("\"}"u8);
            raw += Encoding.UTF8.GetByteCount(lines[i]);
        }
        json.Write("]}"u8);
        return new Payload([Gzip(json.ToArray())], lines.Count, raw);
    }

    private static byte[] Head(string jobName, string runId, long messageCounter, int payloadCounter, long sentAt)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("job_name", jobName);
            writer.WriteString("run_id", runId);
            writer.WriteNumber("sent_at", sentAt);
            writer.WriteStartObject("counters");
            writer.WriteNumber("message_counter", messageCounter);
            writer.WriteNumber("payload_counter", payloadCounter);
            writer.WriteEndObject();
            writer.WritePropertyName("messages");
            writer.Flush();
        }
        buffer.Write("["u8);
        return buffer.ToArray();
    }

    private (byte[] Json, long RawBytes) BuildMessages(long from, int count)
    {
        var json = new MemoryStream();
        long raw = 0;
        for (var i = from; i < from + count; i++)
        {
            if (i > from) json.WriteByte((byte)',');
            json.Write(Encoding.UTF8.GetBytes($"{{\"generated_at\":{BaseTime + i / 3},\"message_type\":\"spark-event\",\"content\":\""));
            json.Write(source.Escaped[(int)(i % source.Escaped.Count)]);
            json.Write("\"}"u8);
            raw += source.RawSizeAt(i);
        }
        return (json.ToArray(), raw);
    }

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }
}

/// <summary>Sends the body's segments one after the other, without joining them.</summary>
internal sealed class SegmentsContent : HttpContent
{
    private readonly byte[][] _segments;

    public SegmentsContent(byte[][] segments)
    {
        _segments = segments;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Headers.ContentEncoding.Add("gzip");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        foreach (var segment in _segments) await stream.WriteAsync(segment);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _segments.Sum(s => (long)s.Length);
        return true;
    }
}
