using System.Text.Json;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>Typed reads of envelope fields that explain a wrong type in the client's own terms.</summary>
internal static class WireJson
{
    /// <summary>
    /// True when the current property name is <paramref name="name"/>. A name that is not valid text (a lone surrogate
    /// escape) is no name a wire format knows, so it is false rather than an exception.
    /// </summary>
    public static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.ValueIsEscaped) return reader.ValueSpan.SequenceEqual(name);
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads the next value as a string; <c>null</c> stays null.</summary>
    public static string? ReadString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => TryGetText(ref reader, out var text) ? text
                : throw new EnvelopeException($"\"{field}\" is not text: {NotTextReason}."),
            JsonTokenType.Null => null,
            _ => throw new EnvelopeException($"\"{field}\" must be a string, not {Describe(reader.TokenType)}."),
        };
    }

    /// <summary>Why a string token that <see cref="TryGetText"/> refused is not text.</summary>
    public const string NotTextReason = "it holds bytes that are not UTF-8 or a lone surrogate escape (\\uD800–\\uDFFF without its pair)";

    /// <summary>The current string token as text; false when its bytes are not UTF-8 or it escapes a lone surrogate.</summary>
    public static bool TryGetText(ref Utf8JsonReader reader, out string? text)
    {
        try
        {
            text = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks UTF-8 and surrogate pairs only when a string is transcoded.
            text = null;
            return false;
        }
    }

    /// <summary>Reads the next value as a 64-bit integer.</summary>
    public static long ReadInt64(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)) return value;
        throw new EnvelopeException($"\"{field}\" must be an integer, not {Describe(reader.TokenType)}.");
    }

    /// <summary>
    /// Reads a counters object (<c>null</c> allowed) and returns its running message total, named
    /// <paramref name="messageCounterField"/> in this client's wire format.
    /// </summary>
    public static long? ReadMessageCounter(ref Utf8JsonReader reader, string messageCounterField, string payloadCounterField)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EnvelopeException($"\"counters\" must be an object like {{\"{messageCounterField}\":210,\"{payloadCounterField}\":3}}.");
        }
        long? messageCounter = null;
        var counterName = System.Text.Encoding.UTF8.GetBytes(messageCounterField);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (NameIs(ref reader, counterName)) messageCounter = ReadInt64(ref reader, $"counters.{messageCounterField}");
            else reader.Skip();
        }
        return messageCounter;
    }

    /// <summary>The kind of a JSON token in words, for error messages.</summary>
    public static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number that is not a whole 64-bit integer",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}

/// <summary>Validation of job and run names as they come off the wire.</summary>
public static class WireNames
{
    /// <summary>Returns <paramref name="value"/> when it is a usable name, else throws an <see cref="EnvelopeException"/> naming <paramref name="field"/>.</summary>
    public static string Require(string? value, string field, int maxLength)
    {
        if (value is null) throw new EnvelopeException($"\"{field}\" is missing: every payload must name its job and run.");
        if (string.IsNullOrWhiteSpace(value)) throw new EnvelopeException($"\"{field}\" is empty: every payload must name its job and run.");
        if (value.Length > maxLength) throw new EnvelopeException($"\"{field}\" is {value.Length} characters long; the limit is {maxLength} (Sparkwatch:Limits:MaxNameLength).");
        if (value.Contains('\0')) throw new EnvelopeException($"\"{field}\" contains a NUL character (\\u0000), which no name may hold.");
        return value;
    }
}
