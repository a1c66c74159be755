namespace Sparkwatch.EventLogs;

/// <summary>Finds event logs on disk and opens them decompressed.</summary>
public static class EventLogFiles
{
    /// <summary>
    /// The event logs at <paramref name="path"/>: a single log file, a rolling log directory, or a folder holding
    /// either (not recursive).
    /// </summary>
    public static IReadOnlyList<EventLog> Discover(string path)
    {
        // Placeholder: plain single files only. The event-log reader work replaces this with every Spark layout.
        if (File.Exists(path)) return [FromFile(path)];
        return [.. Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).Select(FromFile)];
    }

    /// <summary>Opens one file of a log, decompressed according to its codec extension.</summary>
    public static Stream OpenDecompressed(string path) => File.OpenRead(path);

    private static EventLog FromFile(string path)
    {
        var name = Path.GetFileName(path);
        var inProgress = name.EndsWith(".inprogress", StringComparison.Ordinal);
        if (inProgress) name = name[..^".inprogress".Length];
        return new EventLog(name, name, null, [path], inProgress);
    }
}
