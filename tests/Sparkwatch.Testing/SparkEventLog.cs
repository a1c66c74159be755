using System.Text;
using System.Text.Json;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Testing;

/// <summary>A plain Spark event log read for tests: its lines and what the service must answer about it.</summary>
public sealed class SparkEventLog
{
    private SparkEventLog(string path, IReadOnlyList<string> lines)
    {
        Path = path;
        Lines = lines;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The non-empty lines (event JSON) in file order.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Reads a plain log file.</summary>
    public static SparkEventLog Read(string path) =>
        new(path, [.. File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Trim().Length > 0)]);

    /// <summary>Every plain log of the shared data: the spark-events files (and the old directory form's file) and the Spark 3 log.</summary>
    public static IEnumerable<string> SharedLogPaths() =>
        Directory.EnumerateFiles(TestPaths.SparkEvents, "*", SearchOption.AllDirectories).Append(TestPaths.DelightExampleLog).Order(StringComparer.Ordinal);

    /// <summary>ApplicationEnd − ApplicationStart of the log, read straight from the file.</summary>
    public long ExpectedDurationMs => Timestamp("SparkListenerApplicationEnd") - Timestamp("SparkListenerApplicationStart");

    /// <summary>The application id of its application start.</summary>
    public string AppId => Field("SparkListenerApplicationStart", "App ID") ?? System.IO.Path.GetFileName(Path);

    /// <summary>
    /// The lines the events endpoint must return when the log is sent with generated_at = each event's Timestamp (else the
    /// previous one), in file order as seq: stably sorted by generated_at, environment secrets redacted.
    /// </summary>
    public List<string> ExpectedServedLines()
    {
        long last = 0;
        return [.. Lines.Select((line, index) => (Line: Redacted(line), Time: last = TimestampOf(line) ?? last, Index: index))
            .OrderBy(e => e.Time).ThenBy(e => e.Index).Select(e => e.Line)];
    }

    /// <summary>The line as Sparkwatch serves it: environment updates redacted with Spark's default pattern.</summary>
    public static string Redacted(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        return line.Contains("\"SparkListenerEnvironmentUpdate\"") && SparkRedactor.Default.Redact(bytes, SparkEventTypes.EnvironmentUpdate) is { } redacted
            ? Encoding.UTF8.GetString(redacted)
            : line;
    }

    private long Timestamp(string eventType) =>
        Lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("Event").GetString() == eventType)
            .Select(e => e.GetProperty("Timestamp").GetInt64()).First();

    private string? Field(string eventType, string field) =>
        Lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("Event").GetString() == eventType)
            .Select(e => e.TryGetProperty(field, out var v) ? v.GetString() : null).FirstOrDefault();

    private static long? TimestampOf(string line) =>
        JsonDocument.Parse(line).RootElement.TryGetProperty("Timestamp", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null;
}
