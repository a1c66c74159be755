using System.Text.Json;
using System.Text.Unicode;

namespace Sparkwatch.Core.Events;

/// <summary>
/// Checks that a message's content is one well-formed Spark event and reads its facts, in one forward pass
/// of <see cref="Utf8JsonReader"/> (no DOM).
/// </summary>
/// <remarks>
/// Well-formed includes being text: invalid UTF-8 or a lone surrogate escape anywhere would make the stored event log
/// unreadable, and a NUL in a fact would be refused by PostgreSQL's text columns on every retry.
/// </remarks>
public static class EventFactReader
{
    // Spark SQL plans nest deeply (sparkPlanInfo children); the reader's default of 64 would refuse real events.
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1024 };

    /// <summary>Reads the facts of <paramref name="json"/>; returns false with a reason when it is not a valid Spark event.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out EventFacts facts, out string? reason)
    {
        reason = Check(json, out var found);
        facts = found!;
        return reason is null;
    }

    /// <summary>Returns why <paramref name="json"/> is not a Spark event, or <c>null</c> with its facts.</summary>
    private static string? Check(ReadOnlySpan<byte> json, out EventFacts? facts)
    {
        facts = null;
        if (json.IsEmpty) return "content is empty";
        // Utf8JsonReader checks UTF-8 only in the strings it transcodes; check the whole event once.
        if (!Utf8.IsValid(json)) return "content is not valid UTF-8";
        // Surrogate escapes are rare (Spark writes non-ASCII as UTF-8): look for them token by token only when present.
        var mayEscapeSurrogates = JsonEscapes.MayEscapeSurrogates(json);
        var reader = new Utf8JsonReader(json, Options);
        string? eventType = null, attemptId = null, appId = null, appName = null;
        long? timestamp = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return $"content is JSON but not an object (starts with {reader.TokenType})";
            }
            while (reader.Read())
            {
                if (mayEscapeSurrogates && JsonEscapes.HasLoneSurrogate(ref reader)) return "content holds a lone surrogate escape (\\uD800–\\uDFFF without its pair), which is not text";
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
            return $"content is not valid JSON: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"content is not text: {e.Message}";
        }
        if (eventType is null) return "content is a JSON object without a string \"Event\" field, so not a Spark event";
        if (NulIn(("Event", eventType), ("App Name", appName), ("App ID", appId), ("App Attempt ID", attemptId)) is { } field)
        {
            return $"\"{field}\" contains a NUL character (\\u0000), which no event name, application name or id may hold";
        }
        facts = eventType is SparkEventTypes.ApplicationStart or SparkEventTypes.ApplicationEnd
            ? new EventFacts(eventType, timestamp, attemptId, appId, appName)
            : new EventFacts(eventType, timestamp);
        return null;
    }

    private static string? NulIn(params ReadOnlySpan<(string Field, string? Value)> facts)
    {
        foreach (var (field, value) in facts)
        {
            if (value is not null && value.Contains('\0')) return field;
        }
        return null;
    }

    private static string ReadEventName(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? reader.GetString()! : SparkEventTypes.Intern(reader.ValueSpan);

    /// <summary>A string or number as text; any other value gives <c>null</c> and is left for the main loop to walk.</summary>
    private static string? ReadScalarAsString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (JsonEscapes.HasLoneSurrogate(ref reader)) throw new InvalidOperationException("a lone surrogate escape (\\uD800–\\uDFFF without its pair)");
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            _ => null,
        };
    }
}
