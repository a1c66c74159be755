using System.Text.Json;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.JobsApi;

namespace Sparkwatch.Endpoints;

/// <summary>Executor cores over time, bucketed: <c>Allocated</c> cores and cores <c>Busy</c> with tasks, per bucket starting at <c>T</c>.</summary>
internal sealed record CoreSeries(long BucketMs, long[] T, double[] Allocated, double[] Busy);

/// <summary>Σ task time ÷ Σ executor-core uptime, and how much of the idle core time had no task running at all.</summary>
internal sealed record Efficiency(long TaskMs, long CoreMs, double? Value, long IdleMs, long IdleWithoutTasksMs, string Formula);

/// <summary>A stage among the slowest, with the skew of its tasks' executor run time.</summary>
internal sealed record SlowStage(int Id, int Attempt, string Name, long DurationMs, int NumTasks, long? MedianTaskMs, long? MaxTaskMs);

/// <summary>Something that failed, and why.</summary>
internal sealed record Failure(string Kind, string What, string Reason);

/// <summary>Everything a run's page shows, computed on the server from the run model (<c>ModelOn</c> false: the model is not kept).</summary>
internal sealed record RunView(RunItem Run, bool ModelOn, int Attempts, long LastHeardMsAgo, string? AppRef, long? From, long? To,
    IReadOnlyList<ShapeJob> Jobs, IReadOnlyList<ShapeStage> Stages, bool StagesTruncated, IReadOnlyList<ShapeExecutor> Executors,
    CoreSeries? Cores, Efficiency? Efficiency, IReadOnlyList<SlowStage> Slowest, IReadOnlyList<Failure> Failures, long Tasks, long FailedTasks);

/// <summary>Builds a run's page document: header, Gantt rows, executor core series, efficiency, slowest stages, failures.</summary>
internal static class DashboardRunView
{
    /// <summary>Points of the executor chart, whatever the run's length or task count.</summary>
    public const int Buckets = 240;

    private const int MaxGanttStages = 2000;
    private const int SlowestCount = 10;
    private const int FailedStageSamples = 5;

    public const string EfficiencyFormula = "efficiency = Σ task time (executor run time of every task) ÷ Σ executor-core uptime (cores × time from added to removed or run end)";

    public static async Task<RunView?> BuildAsync(ReadServices services, SparkApi api, string jobName, string runId, CancellationToken ct)
    {
        var facts = await services.Store.GetRunAsync(new RunKey(jobName, runId), ct);
        if (facts is null) return null;
        var duration = services.DurationOf(facts);
        var item = RunItem.From(facts, duration);
        var heard = services.Clock.GetUtcNow().ToUnixTimeMilliseconds() - facts.LastSeenAt;
        var scope = await DashboardRuns.ScopeAsync(api, (IRunModelReader)services.Store, jobName, runId, ct);
        var shape = await DashboardRuns.ShapeAsync(api, scope, ct);
        if (shape is null) return new RunView(item, services.Options.Value.RunModel, duration.Attempts.Count, heard, null, null, null, [], [], false, [], null, null, [], [], 0, 0);

        var (from, to) = Range(shape);
        var stages = shape.Stages.OrderBy(s => s.Start ?? long.MaxValue).ThenBy(s => s.Id).ThenBy(s => s.Attempt).ToList();
        return new RunView(item, services.Options.Value.RunModel, duration.Attempts.Count, heard, scope?.AppRef, from, to,
            [.. shape.Jobs.OrderBy(j => j.Id)], [.. stages.Take(MaxGanttStages)], stages.Count > MaxGanttStages, shape.Executors,
            Series(shape, from, to), EfficiencyOf(shape, from, to), await SlowestAsync(api, scope?.Scope, shape, to, ct),
            await FailuresAsync(api, scope?.Scope, shape, ct), shape.TaskCount, shape.FailedTaskCount);
    }

    /// <summary>The run's time range: application start to end, or to the latest time any event of it carries while it has no end.</summary>
    public static (long From, long To) Range(DashboardShape shape)
    {
        long[] times =
        [
            .. shape.Stages.SelectMany(s => new[] { s.Start, s.FirstLaunch, s.End }).OfType<long>(),
            .. shape.Jobs.SelectMany(j => new[] { j.Start, j.End }).OfType<long>(),
            .. shape.Executors.SelectMany(e => new[] { e.Added, e.Removed }).OfType<long>(),
        ];
        var from = shape.AppStart ?? (times.Length > 0 ? times.Min() : 0);
        var to = shape.AppEnd ?? (times.Length > 0 ? Math.Max(times.Max(), from) : from);
        return (from, to);
    }

    /// <summary>Allocated cores (executors' cores while they were up) and busy cores (each stage's task time spread evenly over its span).</summary>
    public static CoreSeries Series(DashboardShape shape, long from, long to)
    {
        var bucket = Math.Max(1, (to - from + Buckets - 1) / Buckets);
        var count = (int)Math.Max(1, Math.Min(Buckets, (to - from + bucket - 1) / bucket));
        var allocated = new double[count];
        var busy = new double[count];
        foreach (var e in shape.Workers) Spread(allocated, from, bucket, e.Added ?? from, e.Removed ?? to, e.Cores * (double)Math.Max(0, Math.Min(e.Removed ?? to, to) - Math.Max(e.Added ?? from, from)));
        foreach (var s in shape.Stages)
        {
            if (s.Span(to) is { } span && s.RunTime > 0) Spread(busy, from, bucket, span.From, span.To, s.RunTime);
        }
        return new CoreSeries(bucket, [.. Enumerable.Range(0, count).Select(i => from + i * bucket)], [.. allocated.Select(Round)], [.. busy.Select(Round)]);
    }

    /// <summary>Adds <paramref name="amount"/> (ms of core time, spread evenly over [start, end)) to the buckets, as average cores.</summary>
    private static void Spread(double[] buckets, long origin, long width, long start, long end, double amount)
    {
        var last = origin + buckets.Length * width;
        start = Math.Clamp(start, origin, last);
        end = Math.Clamp(end, origin, last);
        if (amount <= 0) return;
        if (end <= start)
        {
            buckets[Math.Min(buckets.Length - 1, (int)((start - origin) / width))] += amount / width;
            return;
        }
        var rate = amount / (end - start);
        for (var i = (int)((start - origin) / width); i < buckets.Length && origin + i * width < end; i++)
        {
            var b0 = origin + i * width;
            var overlap = Math.Min(end, b0 + width) - Math.Max(start, b0);
            if (overlap > 0) buckets[i] += rate * overlap / width;
        }
    }

    private static double Round(double v) => Math.Round(v, 3);

    /// <summary>The efficiency of the run over [from, to], with where the idle core time was.</summary>
    public static Efficiency EfficiencyOf(DashboardShape shape, long from, long to)
    {
        var taskMs = shape.Stages.Sum(s => s.RunTime);
        var coreMs = shape.Workers.Sum(e => e.Cores * Math.Max(0, Math.Min(e.Removed ?? to, to) - Math.Max(e.Added ?? from, from)));
        var series = Series(shape, from, to);
        var idleWithoutTasks = (long)Enumerable.Range(0, series.T.Length).Where(i => series.Busy[i] < 0.001).Sum(i => series.Allocated[i] * series.BucketMs);
        return new Efficiency(taskMs, coreMs, coreMs > 0 ? Math.Round((double)taskMs / coreMs, 4) : null, Math.Max(0, coreMs - taskMs),
            Math.Min(Math.Max(0, coreMs - taskMs), idleWithoutTasks), EfficiencyFormula);
    }

    private static async Task<IReadOnlyList<SlowStage>> SlowestAsync(SparkApi api, AppScope? scope, DashboardShape shape, long to, CancellationToken ct)
    {
        var slowest = new List<SlowStage>();
        foreach (var s in shape.Stages.Where(s => s.Span(to) is not null).OrderByDescending(s => s.Span(to)!.Value.To - s.Span(to)!.Value.From).Take(SlowestCount))
        {
            long? median = null, max = null;
            // Only the run-time column's median and maximum (Spark's taskSummary positions), not every metric's quantiles;
            // kept in the model when the stage completes, like a task summary.
            var list = SparkApi.SlowStageRunTimes;
            if (scope is not null && await api.TaskQuantilesAsync(scope, s.Id, s.Attempt, list.Quantiles, list.Metrics, ct) is [var runTimes])
            {
                median = runTimes[0];
                max = runTimes[1];
            }
            var span = s.Span(to)!.Value;
            slowest.Add(new SlowStage(s.Id, s.Attempt, s.Name, span.To - span.From, s.NumTasks, median, max));
        }
        return slowest;
    }

    private static async Task<IReadOnlyList<Failure>> FailuresAsync(SparkApi api, AppScope? scope, DashboardShape shape, CancellationToken ct)
    {
        var failures = new List<Failure>();
        failures.AddRange(shape.Jobs.Where(j => j.Status == "FAILED").Select(j => new Failure("job", $"job {j.Id}", j.Name)));
        failures.AddRange(shape.Stages.Where(s => s.Status == "FAILED").Select(s => new Failure("stage", $"stage {s.Id}.{s.Attempt}", s.FailureReason ?? "")));
        failures.AddRange(shape.Executors.Where(e => e.Removed is not null && e.RemoveReason is { Length: > 0 })
            .Select(e => new Failure("executor", $"executor {e.Id}", e.RemoveReason!)));
        if (scope is null) return failures;
        foreach (var s in shape.Stages.Where(s => s.FailedTasks > 0).Take(FailedStageSamples))
        {
            if (await api.TaskListAsync(scope, s.Id, s.Attempt, 0, 3, TaskOrder.Id, ["FAILED"], ct) is not { } json) continue;
            using var doc = JsonDocument.Parse(json);
            foreach (var task in doc.RootElement.EnumerateArray())
            {
                var reason = task.TryGetProperty("errorMessage", out var m) ? m.GetString() ?? "" : "";
                failures.Add(new Failure("task", $"task {task.GetProperty("taskId").GetInt64()} of stage {s.Id}.{s.Attempt}", reason.Split('\n')[0]));
            }
        }
        return failures;
    }
}
