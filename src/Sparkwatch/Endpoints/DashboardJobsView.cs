using Sparkwatch.Core.Runs;
using Sparkwatch.Storage;
using static Sparkwatch.Endpoints.JobsApi;

namespace Sparkwatch.Endpoints;

/// <summary>A job's row of the jobs page: its latest run, how many runs, recent durations (oldest first) and incomplete runs among them.</summary>
internal sealed record JobRowView(string Name, long RunCount, long LastSeenAt, string? LatestRun, RunStatus? LatestStatus, long? LastDurationMs,
    IReadOnlyList<long?> RecentDurations, int RecentIncomplete);

/// <summary>A run on the job's page (the chart and the table), with its regression verdict.</summary>
internal sealed record RunRowView(string RunId, RunStatus Status, long? StartTime, long? DurationMs, long EventCount, long LastSeenAt,
    bool Regression, long? ThresholdMs);

/// <summary>The job's runs, newest first, and the regression rule applied; <c>Truncated</c> when older runs were left out.</summary>
internal sealed record RunsView(string JobName, IReadOnlyList<RunRowView> Runs, bool Truncated, string Rule);

/// <summary>The columns of the runs table that need the run model, for the rows on screen.</summary>
internal sealed record RunStatsView(string RunId, long Tasks, long FailedTasks, int Executors, double? Efficiency, int Stages);

/// <summary>The jobs page and a job's runs page, read from the store's run facts.</summary>
internal static class DashboardJobsView
{
    public const int RecentRuns = 20;
    public const int MaxJobs = 5000;
    public const int MaxRuns = 20000;
    private const int Page = 1000;

    public static async Task<IReadOnlyList<JobRowView>> JobsAsync(ReadServices services, CancellationToken ct)
    {
        var rows = new List<JobRowView>();
        string? after = null;
        while (rows.Count < MaxJobs)
        {
            var jobs = await services.Store.ListJobsAsync(after, Page, ct);
            foreach (var job in jobs)
            {
                var runs = await services.Store.ListRunsAsync(job.JobName, null, RecentRuns, ct) ?? [];
                var durations = runs.Select(services.DurationOf).ToList();
                rows.Add(new JobRowView(job.JobName, job.RunCount, job.LastSeenAt, runs.FirstOrDefault()?.RunId, durations.FirstOrDefault()?.Status,
                    durations.FirstOrDefault(d => d.DurationMs is not null)?.DurationMs,
                    [.. durations.Select(d => d.DurationMs).Reverse()], durations.Count(d => d.Status == RunStatus.Incomplete)));
            }
            if (jobs.Count < Page) break;
            after = jobs[^1].JobName;
        }
        return rows;
    }

    /// <summary>The newest <paramref name="limit"/> runs (at most <see cref="MaxRuns"/>), judged against the runs before each.</summary>
    public static async Task<RunsView?> RunsAsync(ReadServices services, string jobName, int? limit, CancellationToken ct)
    {
        var shown = Math.Clamp(limit ?? MaxRuns, 1, MaxRuns);
        // The oldest shown run is judged by the runs before it, so those are read too.
        var wanted = shown + Regressions.Baseline;
        var facts = new List<RunFacts>();
        RunCursor? after = null;
        while (facts.Count < wanted)
        {
            var size = Math.Min(Page, wanted - facts.Count);
            var page = await services.Store.ListRunsAsync(jobName, after, size, ct);
            if (page is null) return null;
            facts.AddRange(page);
            if (page.Count < size) break;
            after = new RunCursor(page[^1].SortTime, page[^1].RunId);
        }
        var items = facts.Select(f => RunItem.From(f, services.DurationOf(f))).ToList();
        var verdicts = Regressions.Judge([.. items.AsEnumerable().Reverse().Select(r => r.Status == RunStatus.Completed ? r.DurationMs : null)]);
        var rows = items.Select((r, i) => (Run: r, Verdict: verdicts[items.Count - 1 - i]))
            .Select(x => new RunRowView(x.Run.RunId, x.Run.Status, x.Run.StartTime, x.Run.DurationMs, x.Run.EventCount, x.Run.LastSeenAt, x.Verdict.Flagged, x.Verdict.ThresholdMs));
        return new RunsView(jobName, [.. rows.Take(shown)], facts.Count > shown, Regressions.Rule);
    }

    public static async Task<RunStatsView[]> StatsAsync(ReadServices services, Model.Api.SparkApi api, string jobName, IEnumerable<string> runIds, CancellationToken ct)
    {
        var runs = await DashboardRuns.OfJobAsync((Model.IRunModelReader)services.Store, jobName, ct);
        var stats = new List<RunStatsView>();
        foreach (var runId in runIds)
        {
            var shape = await DashboardRuns.ShapeAsync(api, await DashboardRuns.ScopeAsync(api, runs.GetValueOrDefault(runId), ct), ct);
            if (shape is null)
            {
                stats.Add(new RunStatsView(runId, 0, 0, 0, null, 0));
                continue;
            }
            var (from, to) = DashboardRunView.Range(shape);
            stats.Add(new RunStatsView(runId, shape.TaskCount, shape.FailedTaskCount, shape.Workers.Count(), DashboardRunView.EfficiencyOf(shape, from, to).Value, shape.Stages.Count));
        }
        return [.. stats];
    }
}
