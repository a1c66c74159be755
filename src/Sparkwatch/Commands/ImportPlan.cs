using Sparkwatch.Ingestion;
using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Commands;

/// <summary>One log to import and the run it goes to.</summary>
/// <param name="Log">The log.</param>
/// <param name="Run">Its run: <c>--job-name</c>/<c>--run-id</c>, else as <see cref="EventLogHeader.RunName"/> names it.</param>
/// <param name="AttemptId">The application attempt the log holds, if any.</param>
/// <param name="SeqBase">Added to line numbers to make the seq: the attempt number × 10⁹.</param>
/// <param name="FirstTime">The log's first event time, the generated_at of leading events without one.</param>
internal sealed record ImportPlan(EventLog Log, RunKey Run, string? AttemptId, long SeqBase, long FirstTime)
{
    /// <summary>
    /// Finds the logs at every path and names their runs; paths or logs that cannot be read go to <paramref name="failures"/>,
    /// files that are not event logs to <paramref name="notLogs"/> (skipped, as a log folder may hold other files).
    /// </summary>
    public static List<ImportPlan> Make(ImportArguments arguments, int maxNameLength, List<(string Path, string Reason)> failures,
        List<(string Path, string Reason)> notLogs)
    {
        var found = new List<(EventLog Log, EventLogHeader Header)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in arguments.Paths)
        {
            try
            {
                foreach (var log in EventLogFiles.Discover(path))
                {
                    // The same log named twice (a file and its folder) is imported once.
                    if (!seen.Add(Path.GetFullPath(log.Parts.FirstOrDefault() ?? Path.Combine(path, log.Name)))) continue;
                    var header = EventLogHeader.Read(log);
                    if (header.StartsWithEvent) found.Add((log, header));
                    else notLogs.Add((log.Parts.FirstOrDefault() ?? log.Name, "not a Spark event log (its first line is not a JSON event)"));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add((path, e.Message));
            }
        }
        var plans = new List<ImportPlan>();
        foreach (var (log, header) in found)
        {
            var (jobName, runId) = header.RunName(log, arguments.JobName, arguments.RunId);
            var run = new RunKey(jobName, runId);
            if (run.JobName.Length > maxNameLength || run.RunId.Length > maxNameLength)
            {
                failures.Add((log.Parts.FirstOrDefault() ?? log.Name, $"job name or run id is longer than Sparkwatch:Limits:MaxNameLength ({maxNameLength})"));
                continue;
            }
            var attempt = NonEmpty(header.AttemptId) ?? log.AttemptId;
            var firstTime = header.FirstTimestamp ?? new DateTimeOffset(File.GetLastWriteTimeUtc(log.Parts.FirstOrDefault() ?? ".")).ToUnixTimeMilliseconds();
            plans.Add(new ImportPlan(log, run, attempt, AttemptNumber(attempt, run, found) * EventLogImporter.AttemptSeqStride, firstTime));
        }
        return plans;
    }

    /// <summary>
    /// 0 without an attempt, the attempt id when it is a number (YARN's are), else its rank among the run's
    /// non-numeric attempt ids in this import (1, 2, …).
    /// </summary>
    private static long AttemptNumber(string? attempt, RunKey run, List<(EventLog Log, EventLogHeader Header)> found)
    {
        if (attempt is null) return 0;
        if (long.TryParse(attempt, out var number) && number is >= 0 and < long.MaxValue / EventLogImporter.AttemptSeqStride) return number;
        var others = found.Select(f => NonEmpty(f.Header.AttemptId) ?? f.Log.AttemptId)
            .Where(a => a is not null && !long.TryParse(a, out _)).Distinct().Order(StringComparer.Ordinal).ToList();
        return others.IndexOf(attempt) + 1;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
