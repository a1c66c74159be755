using System.Text.Json;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Clients;

/// <summary>
/// Finds a log's job name and run id the way the listener chooses them: <c>spark.datamechanics.job.name</c>, else
/// <c>spark.app.name</c> (or the application start's <c>App Name</c>), else <c>unnamed-job</c>; <c>spark.datamechanics.run.id</c>,
/// else the application id. Reads the log's first events only, until the application start.
/// </summary>
public sealed class RunIdentity
{
    private string? _dmJobName, _dmRunId, _appName, _appId, _confAppId;

    /// <summary>True once the application start has been seen (the environment update comes before it).</summary>
    public bool SawApplicationStart { get; private set; }

    /// <summary>Reads one event line; returns true once the identity is known.</summary>
    public bool Observe(ReadOnlySpan<byte> line)
    {
        if (SawApplicationStart || !EventFactReader.TryRead(line, out var facts, out _)) return SawApplicationStart;
        if (facts.EventType == SparkEventTypes.EnvironmentUpdate) ReadProperties(line);
        else if (facts.IsApplicationStart)
        {
            _appName ??= facts.AppName;
            _appId ??= facts.AppId;
            SawApplicationStart = true;
        }
        return SawApplicationStart;
    }

    /// <summary>The run key; options win, then the log's own settings, then the log's file name for the run id.</summary>
    public RunKey Resolve(string? jobName, string? runId, EventLog log) =>
        new(jobName ?? _dmJobName ?? _appName ?? "unnamed-job", runId ?? _dmRunId ?? _appId ?? _confAppId ?? log.AppId);

    /// <summary>Scans the start of <paramref name="log"/> (at most <paramref name="maxLines"/> lines) for its identity.</summary>
    public static RunIdentity Scan(EventLog log, int maxLines = 10_000)
    {
        var identity = new RunIdentity();
        var seen = 0;
        foreach (var part in log.Parts)
        {
            using var stream = EventLogFiles.OpenDecompressed(part);
            foreach (var line in EventLogLines.Read(stream))
            {
                if (identity.Observe(line.Span) || ++seen >= maxLines) return identity;
            }
        }
        return identity;
    }

    private void ReadProperties(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 1024 });
        using var document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("Spark Properties", out var properties)) return;
        foreach (var property in Properties(properties))
        {
            switch (property.Key)
            {
                case "spark.datamechanics.job.name": _dmJobName = property.Value; break;
                case "spark.datamechanics.run.id": _dmRunId = property.Value; break;
                case "spark.app.name": _appName = property.Value; break;
                case "spark.app.id": _confAppId = property.Value; break;
            }
        }
    }

    /// <summary>Spark writes the properties as an object; some versions as an array of [key, value] pairs.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Properties(JsonElement properties)
    {
        if (properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in properties.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String) yield return new(p.Name, p.Value.GetString());
            }
        }
        else if (properties.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in properties.EnumerateArray())
            {
                if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[0].ValueKind == JsonValueKind.String && pair[1].ValueKind == JsonValueKind.String)
                {
                    yield return new(pair[0].GetString()!, pair[1].GetString());
                }
            }
        }
    }
}
