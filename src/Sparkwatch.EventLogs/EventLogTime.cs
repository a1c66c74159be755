namespace Sparkwatch.EventLogs;

/// <summary>
/// The <c>generated_at</c> of an event-log line, one rule for every way a log is sent (import, replay, follow): the
/// running maximum of the events' <c>Timestamp</c>s so far, starting at the log's first one (for the lines before any
/// event carries a time). Never decreasing, so ordering by (generated_at, line number) gives back the file's order —
/// the order Spark's listener bus delivered the events — line for line.
/// </summary>
public static class EventLogTime
{
    /// <summary>The time of the log's leading lines: its first event time, else its first file's last write time.</summary>
    public static long Start(EventLog log, EventLogHeader header) =>
        header.FirstTimestamp ?? new DateTimeOffset(File.GetLastWriteTimeUtc(log.Parts.FirstOrDefault() ?? ".")).ToUnixTimeMilliseconds();

    /// <summary>The generated_at of the next line, given the previous line's and the line's own <c>Timestamp</c> if it has one.</summary>
    public static long Next(long previous, long? timestamp) => timestamp is { } t && t > previous ? t : previous;
}
