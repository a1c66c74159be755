using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sparkwatch.Testing;

/// <summary>One listener message for a hand-built envelope.</summary>
/// <param name="GeneratedAt">Epoch ms.</param>
/// <param name="Content">The content string (an event's JSON, or anything for a bad message).</param>
/// <param name="Type">message_type.</param>
public sealed record Message(long GeneratedAt, string Content, string Type = "spark-event")
{
    /// <summary>A heartbeat.</summary>
    public static Message Heartbeat(long generatedAt) => new(generatedAt, "", "heartbeat");

    /// <summary>A minimal valid event of <paramref name="eventType"/> whose Timestamp is <paramref name="generatedAt"/>.</summary>
    public static Message Event(long generatedAt, string eventType = "SparkListenerTaskEnd", string extra = "") =>
        new(generatedAt, $"{{\"Event\":\"{eventType}\",\"Timestamp\":{generatedAt}{extra}}}");
}

/// <summary>Builds listener envelopes by hand, for the edge cases the capture does not hold.</summary>
public static class ListenerEnvelope
{
    /// <summary>An envelope with counters when <paramref name="messageCounter"/> is given (running total including these messages).</summary>
    public static string Build(string jobName, string runId, long? messageCounter, params Message[] messages)
    {
        var envelope = new JsonObject
        {
            ["job_name"] = jobName,
            ["run_id"] = runId,
            ["sent_at"] = messages.Length > 0 ? messages.Max(m => m.GeneratedAt) : 0,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
            {
                ["generated_at"] = m.GeneratedAt,
                ["message_type"] = m.Type,
                ["content"] = m.Content,
            })]),
        };
        if (messageCounter is { } counter) envelope["counters"] = new JsonObject { ["message_counter"] = counter, ["payload_counter"] = 1 };
        return envelope.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
