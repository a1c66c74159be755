using System.Text.Json;

namespace Sparkwatch.EventLogs;

/// <summary>
/// What a log says about its application near its start — Spark properties of the environment update, the application
/// start's name, id and attempt, the first event time — and the run it therefore belongs to, named the way the Data
/// Mechanics listener names it. Read by scanning the log's first lines; every client of event logs (import, replay,
/// follow) uses this one reading, so a log goes to the same run whichever way it is sent.
/// </summary>
/// <param name="Properties">The Spark properties Sparkwatch names runs by (<c>spark.app.name</c>, <c>spark.app.id</c>, <c>spark.datamechanics.*</c>).</param>
/// <param name="AppName">The application start's <c>"App Name"</c>.</param>
/// <param name="AppId">The application start's <c>"App ID"</c>.</param>
/// <param name="AttemptId">The application start's <c>"App Attempt ID"</c>.</param>
/// <param name="FirstTimestamp">The first <c>"Timestamp"</c> of any event (epoch ms).</param>
/// <param name="StartsWithEvent">True when the first line is a JSON object with an <c>"Event"</c> name: the file looks like an event log.</param>
/// <param name="SawApplicationStart">True when the application start was among the scanned lines.</param>
public sealed record EventLogHeader(IReadOnlyDictionary<string, string> Properties, string? AppName, string? AppId, string? AttemptId,
    long? FirstTimestamp, bool StartsWithEvent, bool SawApplicationStart)
{
    /// <summary>How many lines are scanned at most; Spark writes both events within the first few.</summary>
    public const int MaxScannedLines = 10_000;

    /// <summary>The job name when nothing names one, as the listener does.</summary>
    public const string UnnamedJob = "unnamed-job";

    private static readonly string[] NamingProperties = ["spark.datamechanics.job.name", "spark.datamechanics.run.id", "spark.app.name", "spark.app.id"];

    /// <summary>
    /// The run's job name and run id: the given overrides, else <c>spark.datamechanics.job.name</c>, <c>spark.app.name</c>,
    /// the start's App Name, <c>unnamed-job</c>; <c>spark.datamechanics.run.id</c>, the start's App ID, <c>spark.app.id</c>,
    /// the id in the log's file name.
    /// </summary>
    public (string JobName, string RunId) RunName(EventLog log, string? jobName = null, string? runId = null) =>
        (jobName ?? Property("spark.datamechanics.job.name") ?? Property("spark.app.name") ?? NonEmpty(AppName) ?? UnnamedJob,
         runId ?? Property("spark.datamechanics.run.id") ?? NonEmpty(AppId) ?? Property("spark.app.id") ?? log.AppId);

    /// <summary>Scans the start of <paramref name="log"/>.</summary>
    public static EventLogHeader Read(EventLog log)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        string? appName = null, appId = null, attemptId = null;
        long? firstTimestamp = null;
        bool startsWithEvent = false, sawEnvironment = false, sawStart = false;
        var scanned = 0;
        foreach (var line in EventLogFiles.ReadLines(log))
        {
            if ((sawEnvironment && sawStart && firstTimestamp is not null) || ++scanned > MaxScannedLines) break;
            var span = line.Span;
            var isEnvironment = span.IndexOf("\"SparkListenerEnvironmentUpdate\""u8) >= 0;
            var isStart = span.IndexOf("\"SparkListenerApplicationStart\""u8) >= 0;
            if (!isEnvironment && !isStart && firstTimestamp is not null && scanned > 1) continue;
            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 1024 });
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) continue;
                if (firstTimestamp is null && root.TryGetProperty("Timestamp", out var time) && time.TryGetInt64(out var ms)) firstTimestamp = ms;
                var type = Text(root, "Event");
                if (scanned == 1) startsWithEvent = type is not null;
                if (type == "SparkListenerEnvironmentUpdate" && !sawEnvironment)
                {
                    sawEnvironment = true;
                    if (root.TryGetProperty("Spark Properties", out var sparkProperties)) ReadNamingProperties(sparkProperties, properties);
                }
                else if (type == "SparkListenerApplicationStart" && !sawStart)
                {
                    sawStart = true;
                    (appName, appId, attemptId) = (Text(root, "App Name"), Text(root, "App ID"), Text(root, "App Attempt ID"));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                // Not an event (not JSON, or a property name that is not valid text): the importer quarantines it; it
                // tells nothing about the application.
            }
        }
        return new EventLogHeader(properties, appName, appId, attemptId, firstTimestamp, startsWithEvent, sawStart);
    }

    private string? Property(string name) => Properties.TryGetValue(name, out var value) ? NonEmpty(value) : null;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Spark writes the properties as an object; some versions as an array of [key, value] pairs.</summary>
    private static void ReadNamingProperties(JsonElement sparkProperties, Dictionary<string, string> into)
    {
        foreach (var name in NamingProperties)
        {
            // Looked up by name rather than decoding every key: a key that is not valid text must not stop the scan.
            var value = sparkProperties.ValueKind switch
            {
                JsonValueKind.Object => sparkProperties.TryGetProperty(name, out var found) ? found : (JsonElement?)null,
                JsonValueKind.Array => sparkProperties.EnumerateArray()
                    .Where(pair => pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[0].ValueKind == JsonValueKind.String && pair[0].ValueEquals(name))
                    .Select(pair => (JsonElement?)pair[1]).LastOrDefault(),
                _ => null,
            };
            if (value is { } element && Text(element) is { } text) into[name] = text;
        }
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>
    /// A string value usable as a name, else null: invalid UTF-8, a lone surrogate escape or a NUL (which no store keeps
    /// as text) make the name fall back to the next source instead of failing the whole log.
    /// </summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            var text = value.GetString();
            return text is not null && text.Contains('\0') ? null : text;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
