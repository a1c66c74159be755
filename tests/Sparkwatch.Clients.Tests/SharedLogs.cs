using System.Text;
using System.Text.Json.Nodes;
using Sparkwatch.EventLogs;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>The real logs every client path is checked against, and what the tests expect of them.</summary>
public static class SharedLogs
{
    /// <summary>Every log of the shared data, as the event-log reader finds them.</summary>
    public static IReadOnlyList<EventLog> All { get; } = [.. EventLogFiles.Discover(TestPaths.SparkEvents), .. EventLogFiles.Discover(TestPaths.DelightExampleLog)];

    /// <summary>Log names for xunit theories.</summary>
    public static TheoryData<string> Names => [.. All.Select(l => l.Name)];

    /// <summary>The log called <paramref name="name"/>.</summary>
    public static EventLog Named(string name) => All.Single(l => l.Name == name);

    /// <summary>The event lines of a log, decompressed, in order.</summary>
    public static List<string> Lines(EventLog log)
    {
        var lines = new List<string>();
        foreach (var part in log.Parts)
        {
            using var stream = EventLogFiles.OpenDecompressed(part);
            foreach (var line in EventLogLines.Read(stream)) lines.Add(Encoding.UTF8.GetString(line.Span));
        }
        return lines;
    }

    /// <summary>The run key the listener would use, read independently of the code under test.</summary>
    public static (string Job, string Run) ExpectedRun(EventLog log)
    {
        string? appName = null, appId = null;
        foreach (var line in Lines(log))
        {
            var node = JsonNode.Parse(line)!;
            var type = node["Event"]!.GetValue<string>();
            if (type == "SparkListenerEnvironmentUpdate") appName ??= node["Spark Properties"]?["spark.app.name"]?.GetValue<string>();
            if (type == "SparkListenerApplicationStart")
            {
                appName ??= node["App Name"]?.GetValue<string>();
                appId = node["App ID"]?.GetValue<string>();
                break;
            }
        }
        return (appName ?? "unnamed-job", appId ?? log.AppId);
    }

    /// <summary>True for the event whose secrets the service redacts, so its bytes may differ from the log.</summary>
    public static bool IsEnvironmentUpdate(string line) => line.Contains("\"Event\":\"SparkListenerEnvironmentUpdate\"", StringComparison.Ordinal);
}
