using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Commands;

/// <summary>One log to import and the run it goes to.</summary>
/// <param name="Log">The log.</param>
/// <param name="Run">Its run: <c>--job-name</c>/<c>--run-id</c>, else as <see cref="EventLogHeader.RunName"/> names it.</param>
/// <param name="AttemptId">The application attempt the log holds, if any.</param>
/// <param name="FirstTime">The log's <see cref="EventLogTime.Start"/>, the generated_at of leading events without a time.</param>
internal sealed record ImportPlan(EventLog Log, RunKey Run, string? AttemptId, long FirstTime)
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
            plans.Add(new ImportPlan(log, run, attempt, EventLogTime.Start(log, header)));
        }
        return plans;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
