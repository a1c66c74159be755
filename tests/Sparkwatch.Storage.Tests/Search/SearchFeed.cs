using System.Text;
using System.Text.Json;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>Event lines as the listener sends them and as the accepted stream hands them to a sink.</summary>
public static class SearchFeed
{
    /// <summary>
    /// The listener messages of <paramref name="lines"/> (generated_at = each event's Timestamp, else the previous one)
    /// and the accepted events a sink gets for them (seq = line number, redacted as stored).
    /// </summary>
    public static (List<Message> Messages, List<AcceptedEvent> Events) Of(IReadOnlyList<string> lines)
    {
        long time = 0;
        var messages = new List<Message>();
        var events = new List<AcceptedEvent>();
        foreach (var (line, index) in lines.Select((l, i) => (l, i)))
        {
            var root = JsonDocument.Parse(line).RootElement;
            time = root.TryGetProperty("Timestamp", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : time;
            messages.Add(Message.Event(time, line));
            events.Add(new AcceptedEvent(1, index + 1, time, root.GetProperty("Event").GetString()!, Encoding.UTF8.GetBytes(SparkEventLog.Redacted(line))));
        }
        return (messages, events);
    }
}
