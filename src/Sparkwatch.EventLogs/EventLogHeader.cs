using System.Text.Json;

namespace Sparkwatch.EventLogs;

/// <summary>
/// What a log says about its application near its start: <c>spark.app.name</c> from the environment update, the
/// application start's name, id and attempt, and the first event time. Read by scanning the log's first lines.
/// </summary>
/// <param name="SparkAppName">The <c>spark.app.name</c> Spark property.</param>
/// <param name="AppName">The application start's <c>"App Name"</c>.</param>
/// <param name="AppId">The application start's <c>"App ID"</c>.</param>
/// <param name="AttemptId">The application start's <c>"App Attempt ID"</c>.</param>
/// <param name="FirstTimestamp">The first <c>"Timestamp"</c> of any event (epoch ms).</param>
/// <param name="StartsWithEvent">True when the first line is a JSON object with an <c>"Event"</c> name: the file looks like an event log.</param>
public sealed record EventLogHeader(string? SparkAppName, string? AppName, string? AppId, string? AttemptId, long? FirstTimestamp, bool StartsWithEvent = false)
{
    /// <summary>How many lines are scanned at most; Spark writes both events within the first few.</summary>
    public const int MaxScannedLines = 10_000;

    /// <summary>Scans the start of <paramref name="log"/>.</summary>
    public static EventLogHeader Read(EventLog log)
    {
        var header = new EventLogHeader(null, null, null, null, null);
        bool sawEnvironment = false, sawStart = false;
        var scanned = 0;
        foreach (var line in EventLogFiles.ReadLines(log))
        {
            if ((sawEnvironment && sawStart && header.FirstTimestamp is not null) || ++scanned > MaxScannedLines) break;
            var span = line.Span;
            var isEnvironment = span.IndexOf("\"SparkListenerEnvironmentUpdate\""u8) >= 0;
            var isStart = span.IndexOf("\"SparkListenerApplicationStart\""u8) >= 0;
            if (!isEnvironment && !isStart && header.FirstTimestamp is not null && scanned > 1) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) continue;
                if (header.FirstTimestamp is null && root.TryGetProperty("Timestamp", out var time) && time.TryGetInt64(out var ms))
                {
                    header = header with { FirstTimestamp = ms };
                }
                var type = root.TryGetProperty("Event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                if (scanned == 1) header = header with { StartsWithEvent = type is not null };
                if (type == "SparkListenerEnvironmentUpdate" && !sawEnvironment)
                {
                    sawEnvironment = true;
                    header = header with { SparkAppName = Text(root, "Spark Properties", "spark.app.name") };
                }
                else if (type == "SparkListenerApplicationStart" && !sawStart)
                {
                    sawStart = true;
                    header = header with { AppName = Text(root, "App Name"), AppId = Text(root, "App ID"), AttemptId = Text(root, "App Attempt ID") };
                }
            }
            catch (JsonException)
            {
                // Not an event: the importer quarantines it; it tells nothing about the application.
            }
        }
        return header;
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
