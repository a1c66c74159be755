using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sparkwatch.Core.Events;

/// <summary>
/// Redacts secrets from <c>SparkListenerEnvironmentUpdate</c> events the way Spark's event logging does: in every
/// section but <c>Classpath Entries</c>, a property whose key or value matches the redaction pattern gets the value
/// <c>*********(redacted)</c>. All other bytes of the event are kept as they were.
/// </summary>
public sealed class SparkRedactor(Regex pattern)
{
    /// <summary>Spark's default <c>spark.redaction.regex</c>.</summary>
    public const string SparkDefaultPattern = "(?i)secret|password|token|access[.]?key";

    /// <summary>The text Spark puts in place of a redacted value.</summary>
    public const string RedactedValue = "*********(redacted)";

    private static readonly byte[] RedactedJsonString = Encoding.UTF8.GetBytes($"\"{RedactedValue}\"");
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1024 };

    /// <summary>A redactor with Spark's default pattern.</summary>
    public static SparkRedactor Default { get; } = FromSparkPattern(SparkDefaultPattern);

    /// <summary>Builds a redactor from a pattern written as Spark writes it (Java syntax, <c>(?i)</c> prefix allowed).</summary>
    public static SparkRedactor FromSparkPattern(string pattern) =>
        new(new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>Returns the event with secrets redacted, or <c>null</c> when nothing needed redacting.</summary>
    public byte[]? Redact(ReadOnlySpan<byte> environmentUpdateJson)
    {
        var reader = new Utf8JsonReader(environmentUpdateJson, Options);
        List<(int Start, int Length)>? spans = null;
        var sectionIsRedactable = false;
        string? key = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                sectionIsRedactable = !reader.ValueTextEquals("Classpath Entries"u8);
            }
            else if (reader.CurrentDepth == 2 && sectionIsRedactable)
            {
                if (reader.TokenType == JsonTokenType.PropertyName) key = reader.GetString();
                else if (reader.TokenType == JsonTokenType.String && key is not null)
                {
                    var value = reader.GetString()!;
                    if (pattern.IsMatch(key) || pattern.IsMatch(value))
                    {
                        // ValueSpan is the raw, still-escaped text between the quotes.
                        (spans ??= []).Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2));
                    }
                }
            }
        }
        return spans is null ? null : Splice(environmentUpdateJson, spans);
    }

    private static byte[] Splice(ReadOnlySpan<byte> json, List<(int Start, int Length)> spans)
    {
        var output = new ArrayBufferWriter<byte>(json.Length);
        var position = 0;
        foreach (var (start, length) in spans)
        {
            output.Write(json[position..start]);
            output.Write(RedactedJsonString);
            position = start + length;
        }
        output.Write(json[position..]);
        return output.WrittenSpan.ToArray();
    }
}
