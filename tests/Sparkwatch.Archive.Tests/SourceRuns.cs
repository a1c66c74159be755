using System.Text;
using System.Text.Json;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>A run as the accepted stream hands it to a sink.</summary>
/// <param name="Run">The run.</param>
/// <param name="Events">Its accepted events, in accepted order.</param>
public sealed record SourceRun(RunKey Run, IReadOnlyList<AcceptedEvent> Events)
{
    /// <summary>The events' JSON lines.</summary>
    public IEnumerable<string> Lines => Events.Select(e => Encoding.UTF8.GetString(e.Json));

    /// <summary>The events up to (not including) the payload at <paramref name="position"/>, and from it on.</summary>
    public (IReadOnlyList<AcceptedEvent> Before, IReadOnlyList<AcceptedEvent> From) SplitAt(long position) =>
        ([.. Events.Where(e => e.Position < position)], [.. Events.Where(e => e.Position >= position)]);
}

/// <summary>The shared data as accepted streams: every shared log (payloads of <c>batch</c> lines) and the listener capture (one payload per envelope).</summary>
public static class SourceRuns
{
    /// <summary>Every shared log and the listener capture's runs.</summary>
    public static IReadOnlyList<SourceRun> All(int batch = 50) => [.. SparkEventLog.SharedLogPaths().Select(p => FromLog(p, batch)), .. FromCapture()];

    /// <summary>One shared log, as a run named by its file.</summary>
    public static SourceRun FromLog(string path, int batch = 50)
    {
        var lines = SparkEventLog.Read(path).Lines;
        var run = new RunKey("shared-logs", Path.GetRelativePath(TestPaths.SharedData, path));
        return new SourceRun(run, [.. lines.Select((line, i) => Event(i / batch + 1, i + 1, line))]);
    }

    /// <summary>The listener capture's runs, each envelope one payload.</summary>
    public static IEnumerable<SourceRun> FromCapture()
    {
        var runs = new Dictionary<RunKey, List<AcceptedEvent>>();
        foreach (var envelope in File.ReadLines(TestPaths.ListenerCapture).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(envelope);
            var root = document.RootElement;
            var run = new RunKey(root.GetProperty("job_name").GetString()!, root.GetProperty("run_id").GetString()!);
            if (!runs.TryGetValue(run, out var events)) runs[run] = events = [];
            var position = events.Count == 0 ? 1 : events[^1].Position + 1;
            foreach (var message in root.GetProperty("messages").EnumerateArray())
            {
                if (message.GetProperty("message_type").GetString() != "spark-event") continue;
                events.Add(Event(position, events.Count + 1, message.GetProperty("content").GetString()!));
            }
        }
        return runs.Select(r => new SourceRun(r.Key, r.Value));
    }

    private static AcceptedEvent Event(long position, long seq, string line)
    {
        using var document = JsonDocument.Parse(line);
        var time = document.RootElement.TryGetProperty("Timestamp", out var t) && t.TryGetInt64(out var ms) ? ms : 0;
        return new AcceptedEvent(position, seq, time, document.RootElement.GetProperty("Event").GetString()!, Encoding.UTF8.GetBytes(line));
    }
}
