using System.Text;
using System.Text.Json.Nodes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.Storage.Tests;

/// <summary>One message of a listener payload: an event, a heartbeat, or content that is not an event.</summary>
public sealed record Message(long GeneratedAt, string Type, string Content)
{
    public static Message Event(long generatedAt, string json) => new(generatedAt, "spark-event", json);

    public static Message Heartbeat(long generatedAt) => new(generatedAt, "heartbeat", "");

    public static Message Broken(long generatedAt, string content) => new(generatedAt, "spark-event", content);
}

/// <summary>Builds batches the way the service does: a listener envelope decoded by the real decoder.</summary>
public static class Payloads
{
    private static readonly ListenerPayloadDecoder Decoder = new(EventNormalizer.Default, 4096);

    /// <summary>A payload of <paramref name="run"/>; <paramref name="messageCounter"/> <c>null</c> sends no counters.</summary>
    public static IngestBatch Batch(RunKey run, long? messageCounter, long receivedAt, params Message[] messages)
    {
        var envelope = new JsonObject
        {
            ["job_name"] = run.JobName,
            ["run_id"] = run.RunId,
            ["sent_at"] = receivedAt,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
            {
                ["generated_at"] = m.GeneratedAt, ["message_type"] = m.Type, ["content"] = m.Content,
            })]),
        };
        if (messageCounter is { } counter) envelope["counters"] = new JsonObject { ["message_counter"] = counter, ["payload_counter"] = 1 };
        return Decode(envelope.ToJsonString(), receivedAt);
    }

    private static readonly DelightPayloadDecoder Delight = new(EventNormalizer.Default, 4096, 1 << 30);

    /// <summary>A Delight <c>/bulk</c> payload decoded by the real decoder: the lines, gzip then base64, with the agent's counters.</summary>
    public static IngestBatch DelightBatch(string dmAppId, long messageCounter, long sentAt, IEnumerable<string> lines)
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        }
        var body = new JsonObject
        {
            ["dmAppId"] = dmAppId, ["sentAt"] = sentAt,
            ["counters"] = new JsonObject { ["messageCounter"] = messageCounter, ["payloadCounter"] = 1 },
            ["data"] = Convert.ToBase64String(gzipped.ToArray()),
        };
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var buffer = PooledBuffer.Rent(bytes.Length);
        bytes.CopyTo(buffer.Free.Span);
        buffer.Advance(bytes.Length);
        return Delight.DecodeBulkAsync(buffer, sentAt, reservation: null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Decodes a listener request body (one line of the capture).</summary>
    public static IngestBatch Decode(string envelopeJson, long receivedAt) => Decoder.Decode(Encoding.UTF8.GetBytes(envelopeJson), receivedAt);

    /// <summary>A small event of the given type, with an id to tell events apart and an optional Timestamp.</summary>
    public static string Ev(string type, int id, long? timestamp = null) =>
        timestamp is { } t ? $$"""{"Event":"{{type}}","Id":{{id}},"Timestamp":{{t}}}""" : $$"""{"Event":"{{type}}","Id":{{id}}}""";

    public static string AppStart(long timestamp, string? attemptId = null, string appId = "app-1", string appName = "Spark Pi") =>
        attemptId is null
            ? $$"""{"Event":"SparkListenerApplicationStart","App Name":"{{appName}}","App ID":"{{appId}}","Timestamp":{{timestamp}},"User":"spark"}"""
            : $$"""{"Event":"SparkListenerApplicationStart","App Name":"{{appName}}","App ID":"{{appId}}","Timestamp":{{timestamp}},"User":"spark","App Attempt ID":"{{attemptId}}"}""";

    public static string AppEnd(long timestamp) => $$"""{"Event":"SparkListenerApplicationEnd","Timestamp":{{timestamp}}}""";
}
