using System.Text.Json;

namespace Sparkwatch.Core.Events;

/// <summary>
/// Checks that a message's content is one well-formed Spark event and reads its facts, in one forward pass
/// of <see cref="Utf8JsonReader"/> (no DOM).
/// </summary>
public static class EventFactReader
{
    // Spark SQL plans nest deeply (sparkPlanInfo children); the reader's default of 64 would refuse real events.
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1024 };

    /// <summary>Reads the facts of <paramref name="json"/>; returns false with a reason when it is not a valid Spark event.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out EventFacts facts, out string? reason)
    {
        facts = null!;
        if (json.IsEmpty)
        {
            reason = "content is empty";
            return false;
        }
        var reader = new Utf8JsonReader(json, Options);
        string? eventType = null, attemptId = null, appId = null, appName = null;
        long? timestamp = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reason = $"content is JSON but not an object (starts with {reader.TokenType})";
                return false;
            }
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.ValueTextEquals("Event"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) eventType = ReadEventName(ref reader);
                }
                else if (reader.ValueTextEquals("Timestamp"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ts)) timestamp = ts;
                }
                else if (reader.ValueTextEquals("App Attempt ID"u8)) attemptId = ReadScalarAsString(ref reader);
                else if (reader.ValueTextEquals("App ID"u8)) appId = ReadScalarAsString(ref reader);
                else if (reader.ValueTextEquals("App Name"u8)) appName = ReadScalarAsString(ref reader);
            }
        }
        catch (JsonException e)
        {
            reason = $"content is not valid JSON: {e.Message}";
            return false;
        }
        if (eventType is null)
        {
            reason = "content is a JSON object without a string \"Event\" field, so not a Spark event";
            return false;
        }
        facts = eventType is SparkEventTypes.ApplicationStart or SparkEventTypes.ApplicationEnd
            ? new EventFacts(eventType, timestamp, attemptId, appId, appName)
            : new EventFacts(eventType, timestamp);
        reason = null;
        return true;
    }

    private static string ReadEventName(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? reader.GetString()! : SparkEventTypes.Intern(reader.ValueSpan);

    private static string? ReadScalarAsString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            _ => SkipAndReturnNull(ref reader),
        };
    }

    private static string? SkipAndReturnNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
