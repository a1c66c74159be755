using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sparkwatch.Core.Events;

/// <summary>
/// Redacts secrets wherever Spark's event logging redacts them, the way it does: a property whose key or value matches
/// the redaction pattern gets the value <c>*********(redacted)</c>; all other bytes of the event are kept as they were.
/// <list type="bullet">
/// <item><c>SparkListenerEnvironmentUpdate</c>: every section but <c>Classpath Entries</c> (<c>EventLoggingListener.redactEvent</c>);</item>
/// <item><c>SparkListenerJobStart</c> and <c>SparkListenerStageSubmitted</c>: their <c>Properties</c>, where Spark SQL copies the
/// session's settings (Spark ≥ 3.1 <c>redactProperties</c>). Spark redacts only the keys its SparkConf holds; a collector
/// does not know that set, and settings made with <c>spark.conf.set</c> are not in it, so every property is checked here;</item>
/// <item><c>SparkListenerSQLExecutionStart</c>: its <c>modifiedConfigs</c>, with the SQL options pattern too
/// (<c>SQLConf.redactOptions</c>: <c>spark.sql.redaction.options.regex</c>, default <c>(?i)url</c>).</item>
/// </list>
/// </summary>
public sealed class SparkRedactor
{
    /// <summary>Spark's default <c>spark.redaction.regex</c>.</summary>
    public const string SparkDefaultPattern = "(?i)secret|password|token|access[.]?key";

    /// <summary>Spark's default <c>spark.sql.redaction.options.regex</c>.</summary>
    public const string SparkSqlOptionsDefaultPattern = "(?i)url";

    /// <summary>The text Spark puts in place of a redacted value.</summary>
    public const string RedactedValue = "*********(redacted)";

    /// <summary>The Spark setting that holds a run's own redaction pattern.</summary>
    public const string RedactionRegexKey = "spark.redaction.regex";

    /// <summary>The Spark setting that holds a run's own pattern for SQL options.</summary>
    public const string SqlOptionsRedactionRegexKey = "spark.sql.redaction.options.regex";

    // A pattern that needs backtracking (a run's own, in Java syntax) gets this long per match; a timeout counts as a match.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly byte[] RedactedJsonString = Encoding.UTF8.GetBytes($"\"{RedactedValue}\"");
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1024 };

    private readonly Regex _secrets;
    private readonly Regex _sqlOptions;

    private SparkRedactor(Regex secrets, Regex sqlOptions)
    {
        _secrets = secrets;
        _sqlOptions = sqlOptions;
    }

    /// <summary>A redactor with Spark's default patterns.</summary>
    public static SparkRedactor Default { get; } = FromSparkPattern(SparkDefaultPattern);

    /// <summary>The secret pattern, as given.</summary>
    public string Pattern => _secrets.ToString();

    /// <summary>The SQL options pattern, as given.</summary>
    public string SqlOptionsPattern => _sqlOptions.ToString();

    /// <summary>
    /// Builds a redactor from patterns written as Spark writes them (Java syntax, <c>(?i)</c> prefix allowed); throws
    /// <see cref="ArgumentException"/> when a pattern is not a valid .NET regular expression.
    /// </summary>
    public static SparkRedactor FromSparkPattern(string pattern, string sqlOptionsPattern = SparkSqlOptionsDefaultPattern) =>
        new(Compile(pattern), Compile(sqlOptionsPattern));

    /// <summary>True for the events Spark redacts (the only ones <see cref="Redact"/> may change).</summary>
    public static bool Redacts(string eventType) =>
        eventType is SparkEventTypes.EnvironmentUpdate or SparkEventTypes.JobStart or SparkEventTypes.StageSubmitted or SparkEventTypes.SqlExecutionStart;

    /// <summary>Returns the event with secrets redacted, or <c>null</c> when nothing needed redacting.</summary>
    public byte[]? Redact(ReadOnlySpan<byte> eventJson, string eventType)
    {
        if (!Redacts(eventType)) return null;
        var reader = new Utf8JsonReader(eventJson, Options);
        List<(int Start, int Length)>? spans = null;
        var sectionIsRedactable = false;
        string? key = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                sectionIsRedactable = IsRedactableSection(ref reader, eventType);
                key = null;
            }
            else if (reader.CurrentDepth == 2 && sectionIsRedactable)
            {
                if (reader.TokenType == JsonTokenType.PropertyName) key = reader.GetString();
                else if (reader.TokenType == JsonTokenType.String && key is not null)
                {
                    if (Matches(key, reader.GetString()!, withSqlOptions: eventType == SparkEventTypes.SqlExecutionStart))
                    {
                        // ValueSpan is the raw, still-escaped text between the quotes.
                        (spans ??= []).Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2));
                    }
                    key = null;
                }
            }
        }
        return spans is null ? null : Splice(eventJson, spans);
    }

    /// <summary>
    /// The run's own <c>spark.redaction.regex</c> and <c>spark.sql.redaction.options.regex</c> from the
    /// <c>Spark Properties</c> of its environment update (read before redaction: the patterns usually match themselves).
    /// </summary>
    public static (string? Secrets, string? SqlOptions) RunPatterns(ReadOnlySpan<byte> environmentUpdateJson)
    {
        var reader = new Utf8JsonReader(environmentUpdateJson, Options);
        string? secrets = null, sqlOptions = null;
        var inSparkProperties = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.CurrentDepth == 1) inSparkProperties = reader.ValueTextEquals("Spark Properties"u8);
            else if (reader.CurrentDepth == 2 && inSparkProperties)
            {
                var isSecrets = reader.ValueTextEquals(RedactionRegexKey);
                var isSqlOptions = reader.ValueTextEquals(SqlOptionsRedactionRegexKey);
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) continue;
                if (isSecrets) secrets = reader.GetString();
                else if (isSqlOptions) sqlOptions = reader.GetString();
            }
        }
        return (secrets, sqlOptions);
    }

    private static bool IsRedactableSection(ref Utf8JsonReader reader, string eventType) => eventType switch
    {
        SparkEventTypes.EnvironmentUpdate => !reader.ValueTextEquals("Classpath Entries"u8),
        SparkEventTypes.SqlExecutionStart => reader.ValueTextEquals("modifiedConfigs"u8),
        _ => reader.ValueTextEquals("Properties"u8),
    };

    private bool Matches(string key, string value, bool withSqlOptions) =>
        Matches(_secrets, key) || Matches(_secrets, value) || (withSqlOptions && (Matches(_sqlOptions, key) || Matches(_sqlOptions, value)));

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return true; // cannot tell: keep the value out of storage
        }
    }

    // Linear-time matching when the pattern allows it (a run's pattern comes from the client); else backtracking with a timeout.
    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
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
