using Microsoft.Extensions.Caching.Memory;
using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>An application attempt as the API addresses it: the run and the model's attempt number.</summary>
/// <param name="Run">The run.</param>
/// <param name="AttemptNo">The model's attempt number.</param>
/// <param name="AttemptId">Spark's attempt id, when the log has one.</param>
public sealed record AppScope(ModelRun Run, int AttemptNo, string? AttemptId)
{
    /// <summary>The run's key in the store.</summary>
    public long RunPk => Run.RunPk;
}

/// <summary>Filters of the applications list (Spark's parameters).</summary>
/// <param name="Completed">Only completed (true) or running (false) applications; <c>null</c> for both.</param>
/// <param name="MinDate">Earliest start (epoch ms).</param>
/// <param name="MaxDate">Latest start.</param>
/// <param name="MinEndDate">Earliest end.</param>
/// <param name="MaxEndDate">Latest end.</param>
/// <param name="Limit">Most applications returned.</param>
/// <param name="JobName">Only runs of this Sparkwatch job.</param>
public sealed record ApplicationFilter(bool? Completed, long? MinDate, long? MaxDate, long? MinEndDate, long? MaxEndDate, int Limit, string? JobName);

/// <summary>
/// Spark's History Server REST API (<c>/api/v1</c>) over the run model: each method returns the JSON document Spark
/// would, or <c>null</c> where Spark answers 404. Task quantiles are computed one stage at a time, holding at most
/// <paramref name="taskSummaryMemoryBytes"/> of task values (<see cref="TaskQuantilePlan"/>); quantile lists a client
/// chose are kept in memory, within <paramref name="chosenQuantilesCacheBytes"/> (0: not kept).
/// </summary>
public sealed partial class SparkApi(IRunModelReader reader, long taskSummaryMemoryBytes = TaskQuantilePlan.DefaultMemoryBytes,
    long chosenQuantilesCacheBytes = SparkApi.DefaultChosenQuantilesCacheBytes)
{
    /// <summary>The default memory for the values of client-chosen quantile lists: 16 MiB.</summary>
    public const long DefaultChosenQuantilesCacheBytes = 16L << 20;

    // One task-quantile computation at a time, so the memory bound holds for the process, not per request.
    private readonly SemaphoreSlim _quantileGate = new(1, 1);

    // Values of quantile lists a client chose (not Spark's defaults, so not kept as model rows), by list, stage attempt
    // and the stage's successful-task count then: a count that moved makes a new key, and the old entry ages out.
    private readonly MemoryCache? _chosenQuantiles = chosenQuantilesCacheBytes > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = chosenQuantilesCacheBytes }) : null;

    /// <summary>Spark's default quantiles of a task summary.</summary>
    public static readonly double[] DefaultSummaryQuantiles = [0.05, 0.25, 0.5, 0.75, 0.95];

    /// <summary>Spark's default quantiles of a stage's <c>withSummaries</c> distributions.</summary>
    public static readonly double[] DefaultStageQuantiles = [0.0, 0.25, 0.5, 0.75, 1.0];

    private static readonly int[] AllMetrics = [.. Enumerable.Range(0, TaskQuantileMetrics.Names.Length)];

    /// <summary>What the dashboard's slowest stages show of each: the median and the longest executor run time.</summary>
    public static readonly SummaryList SlowStageRunTimes = new([0.5, 1.0], [Array.IndexOf(TaskQuantileMetrics.Names, "executorRunTime")]);

    /// <summary>
    /// The lists the service asks for itself, kept for each stage attempt once it completes (<see cref="KeepStageSummariesAsync"/>):
    /// <c>taskSummary</c>'s default, <c>withSummaries</c>' default (every metric of both) and the dashboard's.
    /// </summary>
    public static readonly IReadOnlyList<SummaryList> KeptLists =
        [new(DefaultSummaryQuantiles, AllMetrics), new(DefaultStageQuantiles, AllMetrics), SlowStageRunTimes];

    private const char RunSeparator = '~';

    /// <summary>
    /// Finds the run of an application id: <c>{appId}</c> is the newest run with that id; <c>{appId}~{n}</c> (listed when
    /// several runs share an id) is exactly one run. The attempt is Spark's attempt id, or the latest when <c>null</c>;
    /// when the run's logs carry no attempt ids, attempt <c>n</c> is the n-th attempt in arrival order.
    /// </summary>
    public async Task<AppScope?> ResolveAsync(string app, string? attemptId, CancellationToken ct)
    {
        var (appId, runPk) = SplitAppId(app);
        var runs = await reader.FindRunsAsync(appId, null, ct);
        var run = runPk is null ? runs.FirstOrDefault() : runs.FirstOrDefault(r => r.RunPk == runPk);
        if (run is null) return null;
        await reader.CatchUpAsync(run.RunPk, ct);
        var attempts = await Attempts(run.RunPk, ct);
        var match = attemptId is null ? attempts.LastOrDefault() : attempts.FirstOrDefault(a => a.Row.AttemptId == attemptId);
        // Logs without attempt ids (client mode, or Spark 1 directory logs such as EVENT_LOG_1): attempt n is the n-th.
        if (match.Row is null && attempts.All(a => a.Row.AttemptId is null) && int.TryParse(attemptId, out var n) && n >= 1 && n <= attempts.Count) match = attempts[n - 1];
        return match.Row is null ? null : new AppScope(run, match.AttemptNo, match.Row.AttemptId);
    }

    private static (string AppId, long? RunPk) SplitAppId(string app)
    {
        var at = app.LastIndexOf(RunSeparator);
        return at > 0 && long.TryParse(app.AsSpan(at + 1), out var pk) ? (app[..at], pk) : (app, null);
    }

    private async Task<List<(int AttemptNo, AttemptRow Row)>> Attempts(long runPk, CancellationToken ct) =>
        [.. (await reader.ListAsync(runPk, -1, ModelKind.Attempt, ct)).Select(r => (r.AttemptNo, Read<AttemptRow>(r.Document)))
            .Where(a => a.Item2.StartTime is not null).OrderBy(a => a.Item1)];

    /// <summary>
    /// <c>applications</c>: newest end first (running ones last), ties newest start first. Runs are walked in pages in
    /// the order of their latest end in the store's run facts, an upper bound of the order key (the latest attempt's
    /// end), so the walk stops once <c>limit</c> applications rank above every run not read yet: a page of 100 over
    /// 100,000 runs reads a few hundred runs' attempts, not all of them.
    /// </summary>
    public async Task<byte[]> ApplicationsAsync(ApplicationFilter filter, CancellationToken ct)
    {
        await reader.CatchUpAsync(null, ct);
        var found = new List<(RunByEnd Run, List<AttemptRow> Attempts, long Key)>();
        var pageSize = (int)Math.Clamp(filter.Limit * 2L, 100, 1000);
        RunByEnd? after = null;
        while (true)
        {
            var page = await reader.RunsByLatestEndAsync(filter.JobName, after, pageSize, ct);
            if (page.Count == 0) break;
            var rows = (await reader.ListOfRunsAsync([.. page.Select(r => r.Run.RunPk)], ModelKind.Attempt, ct)).ToLookup(r => r.RunPk);
            foreach (var run in page)
            {
                var attempts = rows[run.Run.RunPk].OrderByDescending(r => r.AttemptNo).Select(r => Read<AttemptRow>(r.Document)).Where(a => a.StartTime is not null).ToList();
                if (attempts.Count > 0 && Matches(filter, attempts)) found.Add((run, attempts, attempts[0].EndTime ?? -1));
            }
            after = page[^1];
            // Every run not read yet ranks at most where `after` is (its key is at most its bound), and no attempt of it
            // ended after its bound: past minEndDate none of them can match.
            if (found.Count(f => Rank(f.Key, f.Run).CompareTo(Rank(after.EndBound, after)) > 0) >= filter.Limit) break;
            if (filter.MinEndDate is { } minEnd && after.EndBound < minEnd) break;
        }
        var listed = found.OrderByDescending(f => Rank(f.Key, f.Run)).Take(filter.Limit).ToList();
        // Shared across all jobs, so an id listed under ?job= addresses the same run as in the full list.
        var shared = await reader.SharedAppIdsAsync([.. listed.Select(f => f.Run.Run.AppId).Distinct(StringComparer.Ordinal)], ct);
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var (run, attempts, _) in listed) Application(w, shared.Contains(run.Run.AppId) ? $"{run.Run.AppId}{RunSeparator}{run.Run.RunPk}" : run.Run.AppId, attempts);
            w.WriteEndArray();
        });
    }

    private static (long Key, long SortTime, long RunPk) Rank(long key, RunByEnd run) => (key, run.SortTime, run.Run.RunPk);

    private static bool Matches(ApplicationFilter filter, List<AttemptRow> attempts)
    {
        if (filter.Completed is { } completed && (attempts[0].EndTime is not null) != completed) return false;
        return attempts.Any(a => a.StartTime >= (filter.MinDate ?? long.MinValue) && a.StartTime <= (filter.MaxDate ?? long.MaxValue)
            && (filter.MinEndDate is null || a.EndTime >= filter.MinEndDate) && (filter.MaxEndDate is null || (a.EndTime ?? long.MaxValue) <= filter.MaxEndDate));
    }

    /// <summary><c>applications/{app}</c>.</summary>
    public async Task<byte[]?> ApplicationAsync(string app, CancellationToken ct)
    {
        if (await ResolveAsync(app, null, ct) is not { } scope) return null;
        var attempts = (await Attempts(scope.RunPk, ct)).Select(a => a.Row).Reverse().ToList();
        return Json(w => Application(w, app, attempts));
    }

    private static void Application(Utf8JsonWriter w, string id, List<AttemptRow> attempts)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("name", attempts[0].AppName);
        w.WriteStartArray("attempts");
        foreach (var a in attempts) Attempt(w, a);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Spark's ApplicationAttemptInfo.
    private static void Attempt(Utf8JsonWriter w, AttemptRow a)
    {
        var start = a.StartTime ?? 0;
        var end = a.EndTime ?? -1;
        var updated = a.EndTime ?? start;
        w.WriteStartObject();
        w.OptionalString("attemptId", a.AttemptId);
        w.Date("startTime", start);
        w.Date("endTime", end);
        w.Date("lastUpdated", updated);
        w.WriteNumber("duration", a.EndTime is { } e ? e - start : 0);
        w.WriteString("sparkUser", a.SparkUser ?? "");
        w.WriteBoolean("completed", a.EndTime is not null);
        w.WriteString("appSparkVersion", a.SparkVersion ?? "");
        w.WriteNumber("startTimeEpoch", start);
        w.WriteNumber("endTimeEpoch", end);
        w.WriteNumber("lastUpdatedEpoch", updated);
        w.WriteEndObject();
    }

    /// <summary><c>jobs</c>, newest job first, optionally only the given statuses.</summary>
    public async Task<byte[]> JobsAsync(AppScope scope, IReadOnlyCollection<string> statuses, CancellationToken ct)
    {
        var jobs = (await List<JobRow>(scope, ModelKind.Job, ct)).Where(j => j.Started && (statuses.Count == 0 || statuses.Contains(j.Status)));
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var job in jobs.OrderByDescending(j => j.JobId)) SparkJson.Job(w, job);
            w.WriteEndArray();
        });
    }

    /// <summary><c>jobs/{id}</c>.</summary>
    public async Task<byte[]?> JobAsync(AppScope scope, int jobId, CancellationToken ct) =>
        await Find<JobRow>(scope, ModelKind.Job, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct) is { Started: true } job
            ? Json(w => SparkJson.Job(w, job))
            : null;

    /// <summary>What a stage request asks for beyond the stage itself.</summary>
    /// <param name="Details">Include tasks and executor summaries.</param>
    /// <param name="TaskStatuses">Only these tasks in the details.</param>
    /// <param name="WithSummaries">Include task metric distributions.</param>
    /// <param name="Quantiles">Quantiles of the distributions.</param>
    public sealed record StageOptions(bool Details, IReadOnlyCollection<string> TaskStatuses, bool WithSummaries, double[] Quantiles);

    /// <summary><c>stages</c>, newest stage first, optionally only the given statuses.</summary>
    public async Task<byte[]> StagesAsync(AppScope scope, IReadOnlyCollection<string> statuses, StageOptions options, CancellationToken ct)
    {
        var stages = (await List<StageRow>(scope, ModelKind.Stage, ct)).Where(s => statuses.Count == 0 || statuses.Contains(s.Status))
            .OrderByDescending(s => s.StageId).ThenByDescending(s => s.AttemptId).ToList();
        return await StageArray(scope, stages, options, ct);
    }

    /// <summary><c>stages/{id}</c>: every attempt of the stage, or <c>null</c>.</summary>
    public async Task<byte[]?> StageAttemptsAsync(AppScope scope, int stageId, StageOptions options, CancellationToken ct)
    {
        var stages = (await List<StageRow>(scope, ModelKind.Stage, ct)).Where(s => s.StageId == stageId).OrderBy(s => s.AttemptId).ToList();
        return stages.Count == 0 ? null : await StageArray(scope, stages, options, ct);
    }

    /// <summary><c>stages/{id}/{attempt}</c>, or <c>null</c>.</summary>
    public async Task<byte[]?> StageAsync(AppScope scope, int stageId, int attemptId, StageOptions options, CancellationToken ct)
    {
        if (await FindStage(scope, stageId, attemptId, ct) is not { } stage) return null;
        var parts = await StageParts(scope, stage, options, ct);
        return Json(w => SparkJson.Stage(w, stage, parts.Tasks, parts.Executors, parts.Distributions));
    }

    private async Task<byte[]> StageArray(AppScope scope, List<StageRow> stages, StageOptions options, CancellationToken ct)
    {
        var parts = new List<(IReadOnlyList<TaskRow>?, IReadOnlyDictionary<string, Dictionary<string, string>>?, Action<Utf8JsonWriter>?)>();
        foreach (var stage in stages) parts.Add(await StageParts(scope, stage, options, ct));
        return Json(w =>
        {
            w.WriteStartArray();
            for (var i = 0; i < stages.Count; i++) SparkJson.Stage(w, stages[i], parts[i].Item1, parts[i].Item2, parts[i].Item3);
            w.WriteEndArray();
        });
    }

    private async Task<(IReadOnlyList<TaskRow>? Tasks, IReadOnlyDictionary<string, Dictionary<string, string>>? Executors, Action<Utf8JsonWriter>? Distributions)> StageParts(
        AppScope scope, StageRow stage, StageOptions options, CancellationToken ct)
    {
        IReadOnlyList<TaskRow>? tasks = null;
        IReadOnlyDictionary<string, Dictionary<string, string>>? executors = null;
        if (options.Details)
        {
            var query = new TaskQuery(scope.RunPk, scope.AttemptNo, stage.StageId, stage.AttemptId, [.. options.TaskStatuses], TaskOrder.Id, 0, int.MaxValue);
            tasks = [.. (await reader.ListTasksAsync(query, ct)).Select(Read<TaskRow>)];
            executors = await ExecutorLogs(scope, tasks, ct);
        }
        Action<Utf8JsonWriter>? distributions = null;
        if (options.WithSummaries && await Distributions(scope, stage, options.Quantiles, AllMetrics, ct, clientQuantiles: true) is { } values)
        {
            distributions = w =>
            {
                w.WritePropertyName("taskMetricsDistributions");
                WriteDistributions(w, options.Quantiles, values);
            };
        }
        return (tasks, executors, distributions);
    }

    /// <summary><c>stages/{id}/{attempt}/taskSummary</c>, or <c>null</c> when no task of it succeeded.</summary>
    public async Task<byte[]?> TaskSummaryAsync(AppScope scope, int stageId, int attemptId, double[] quantiles, CancellationToken ct)
    {
        if (await FindStage(scope, stageId, attemptId, ct) is not { } stage) return null;
        var sorted = quantiles.Order().ToArray();
        var values = await Distributions(scope, stage, sorted, AllMetrics, ct, clientQuantiles: true);
        return values is null ? null : Json(w => WriteDistributions(w, sorted, values));
    }

    /// <summary>
    /// <c>stages/{id}/{attempt}/taskList</c>, or <c>null</c> for an unknown stage attempt: the page's rows (an index
    /// range) and the logs of the executors they ran on; the stage row itself is only looked up, not read.
    /// </summary>
    public async Task<byte[]?> TaskListAsync(AppScope scope, int stageId, int attemptId, int offset, int length, TaskOrder order, IReadOnlyList<string> statuses, CancellationToken ct)
    {
        if (!await reader.ExistsAsync(Key(scope, ModelKind.Stage, RunScope.StageKey(stageId, attemptId)), ct)) return null;
        var docs = await reader.ListTasksAsync(new TaskQuery(scope.RunPk, scope.AttemptNo, stageId, attemptId, statuses, order, offset, length), ct);
        var tasks = docs.Select(Read<TaskRow>).ToList();
        var executorLogs = await ExecutorLogs(scope, tasks, ct);
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var task in tasks) SparkJson.Task(w, task, executorLogs);
            w.WriteEndArray();
        });
    }

    /// <summary><c>executors</c> (active only, as Spark lists them) or <c>allexecutors</c>.</summary>
    public async Task<byte[]> ExecutorsAsync(AppScope scope, bool activeOnly, CancellationToken ct)
    {
        var executors = (await Executors(scope, ct)).Values;
        var listed = activeOnly
            ? executors.Where(e => e.IsActive).OrderByDescending(e => e.Id, StringComparer.Ordinal)
            : executors.OrderBy(e => e.Id, StringComparer.Ordinal);
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var e in listed) SparkJson.Executor(w, e);
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// Sparkwatch's own summary of a run's latest attempt for the dashboard: its jobs, stage attempts (without tasks) and
    /// executors in one document, each in Spark's JSON; <c>null</c> when the run has no application start yet.
    /// </summary>
    public async Task<byte[]?> RunSummaryAsync(string jobName, string runId, CancellationToken ct)
    {
        var run = (await reader.FindRunsAsync(null, jobName, ct)).FirstOrDefault(r => r.RunId == runId);
        if (run is null) return null;
        await reader.CatchUpAsync(run.RunPk, ct);
        var attempts = await Attempts(run.RunPk, ct);
        if (attempts.Count == 0) return null;
        var scope = new AppScope(run, attempts[^1].AttemptNo, attempts[^1].Row.AttemptId);
        var jobs = (await List<JobRow>(scope, ModelKind.Job, ct)).Where(j => j.Started).OrderByDescending(j => j.JobId).ToList();
        var stages = (await List<StageRow>(scope, ModelKind.Stage, ct)).OrderByDescending(s => s.StageId).ThenByDescending(s => s.AttemptId).ToList();
        var executors = (await Executors(scope, ct)).Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        return Json(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("application");
            Application(w, run.AppId, [.. attempts.Select(a => a.Row).Reverse()]);
            w.WriteStartArray("jobs");
            foreach (var job in jobs) SparkJson.Job(w, job);
            w.WriteEndArray();
            w.WriteStartArray("stages");
            foreach (var stage in stages) SparkJson.Stage(w, stage, null, null);
            w.WriteEndArray();
            w.WriteStartArray("executors");
            foreach (var e in executors) SparkJson.Executor(w, e);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>environment</c> with the resource profiles, or <c>null</c> before the environment update arrived.</summary>
    public async Task<byte[]?> EnvironmentAsync(AppScope scope, CancellationToken ct)
    {
        if (await Find<EnvironmentRow>(scope, ModelKind.Environment, "", ct) is not { } environment) return null;
        var profiles = (await List<ResourceProfileRow>(scope, ModelKind.ResourceProfile, ct)).OrderBy(p => p.Id);
        return Json(w => SparkJson.Environment(w, environment, profiles));
    }

    /// <summary>
    /// The values at the (ascending) quantiles of the given metrics (indices into <see cref="TaskQuantileMetrics.Names"/>)
    /// over the stage attempt's successful tasks, one array per metric; <c>null</c> for an unknown stage attempt or
    /// when none of its tasks succeeded. Kept in the model once computed (<see cref="TaskSummaryCache"/>): the service's
    /// own reads ask for a few fixed lists.
    /// </summary>
    public async Task<long[][]?> TaskQuantilesAsync(AppScope scope, int stageId, int attemptId, double[] quantiles, int[] metrics, CancellationToken ct) =>
        await FindStage(scope, stageId, attemptId, ct) is { } stage ? await Distributions(scope, stage, quantiles, metrics, ct) : null;

    /// <summary>
    /// The stage's quantiles, from the kept row when there is a current one. Quantiles a client chose (<paramref name="clientQuantiles"/>)
    /// are kept as rows only when they are one of Spark's default lists (<see cref="DefaultSummaryQuantiles"/> of <c>taskSummary</c>,
    /// <see cref="DefaultStageQuantiles"/> of <c>withSummaries</c>): a row per distinct list would let a client grow the
    /// store by asking for ever new lists. Other lists are kept in this process's bounded memory instead, so a client
    /// that repeats its own list (Kubeflow's MCP server asks for <c>0.01,0.5,0.99</c>) pays the scan once per stage state.
    /// </summary>
    private async Task<long[][]?> Distributions(AppScope scope, StageRow stage, double[] quantiles, int[] metrics, CancellationToken ct, bool clientQuantiles = false)
    {
        if (clientQuantiles && !quantiles.SequenceEqual(DefaultSummaryQuantiles) && !quantiles.SequenceEqual(DefaultStageQuantiles))
        {
            var key = (TaskSummaryCache.Key(scope.RunPk, scope.AttemptNo, stage.StageId, stage.AttemptId, quantiles, metrics), stage.CompletedTasks);
            if (_chosenQuantiles?.TryGetValue(key, out long[][]? kept) == true) return kept;
            var values = await ComputeDistributions(scope.RunPk, scope.AttemptNo, stage.StageId, stage.AttemptId, quantiles, metrics, ct);
            // Its size in the budget: the values, plus the key and the arrays' overhead.
            _chosenQuantiles?.Set(key, values, new MemoryCacheEntryOptions { Size = 256 + (values?.Sum(row => 32L + 8L * row.Length) ?? 0) });
            return values;
        }
        return (await KeptDistributions(scope.RunPk, scope.AttemptNo, stage, [new SummaryList(quantiles, metrics)], ct)).Values[0];
    }

    private async Task<long[][]?> ComputeDistributions(long runPk, int attemptNo, int stageId, int attemptId, double[] quantiles, int[] metrics, CancellationToken ct)
    {
        await _quantileGate.WaitAsync(ct);
        try
        {
            return await reader.TaskQuantilesAsync(runPk, attemptNo, stageId, attemptId, quantiles, metrics, taskSummaryMemoryBytes, ct);
        }
        finally
        {
            _quantileGate.Release();
        }
    }

    // Writes the metrics in their nesting ("shuffleReadMetrics.readBytes" under "shuffleReadMetrics").
    private static void WriteDistributions(Utf8JsonWriter w, double[] quantiles, long[][] values)
    {
        w.WriteStartObject();
        w.WriteStartArray("quantiles");
        foreach (var q in quantiles) w.WriteRawValue(JavaNumbers.Double(q));
        w.WriteEndArray();
        var open = new List<string>();
        for (var i = 0; i < values.Length; i++)
        {
            var path = TaskQuantileMetrics.Names[i].Split('.');
            var common = 0;
            while (common < open.Count && common < path.Length - 1 && open[common] == path[common]) common++;
            while (open.Count > common)
            {
                w.WriteEndObject();
                open.RemoveAt(open.Count - 1);
            }
            for (var d = common; d < path.Length - 1; d++)
            {
                w.WriteStartObject(path[d]);
                open.Add(path[d]);
            }
            w.WriteStartArray(path[^1]);
            foreach (var v in values[i]) w.WriteRawValue(JavaNumbers.Double(v));
            w.WriteEndArray();
        }
        foreach (var _ in open) w.WriteEndObject();
        w.WriteEndObject();
    }

    private Task<StageRow?> FindStage(AppScope scope, int stageId, int attemptId, CancellationToken ct) =>
        Find<StageRow>(scope, ModelKind.Stage, RunScope.StageKey(stageId, attemptId), ct);

    private async Task<T?> Find<T>(AppScope scope, ModelKind kind, string id, CancellationToken ct) where T : class =>
        await reader.ReadAsync(Key(scope, kind, id), ct) is { } doc ? Read<T>(doc) : null;

    // The logs of the executors these tasks ran on, by executor id; the other executors' rows are not deserialized.
    private async Task<Dictionary<string, Dictionary<string, string>>> ExecutorLogs(AppScope scope, IReadOnlyList<TaskRow> tasks, CancellationToken ct)
    {
        var wanted = tasks.Select(t => t.ExecutorId).ToHashSet(StringComparer.Ordinal);
        var logs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (wanted.Count == 0) return logs;
        foreach (var (_, id, doc) in await reader.ListAsync(scope.RunPk, scope.AttemptNo, ModelKind.Executor, ct))
        {
            if (wanted.Contains(id)) logs[id] = Read<ExecutorLogsRow>(doc).ExecutorLogs;
        }
        return logs;
    }

    private async Task<Dictionary<string, ExecutorRow>> Executors(AppScope scope, CancellationToken ct) =>
        (await List<ExecutorRow>(scope, ModelKind.Executor, ct)).ToDictionary(e => e.Id, StringComparer.Ordinal);

    private async Task<List<T>> List<T>(AppScope scope, ModelKind kind, CancellationToken ct) =>
        [.. (await reader.ListAsync(scope.RunPk, scope.AttemptNo, kind, ct)).Select(r => Read<T>(r.Document))];

    private static ModelKey Key(AppScope scope, ModelKind kind, string id) => new(scope.RunPk, scope.AttemptNo, kind, id);

    private static T Read<T>(byte[] doc) => JsonSerializer.Deserialize<T>(doc, ModelSession.Options)!;

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new PooledBufferWriter();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
