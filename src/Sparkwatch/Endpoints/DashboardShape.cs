using System.Text.Json;
using Sparkwatch.Model.Api;

namespace Sparkwatch.Endpoints;

/// <summary>A Spark job of the run summary, as the dashboard draws it (times in epoch ms).</summary>
internal sealed record ShapeJob(int Id, string Name, string Status, long? Start, long? End, int NumTasks, int FailedTasks);

/// <summary>A stage attempt of the run summary; <c>RunTime</c> is the sum of its tasks' executor run time.</summary>
internal sealed record ShapeStage(int Id, int Attempt, string Name, string Status, long? Start, long? FirstLaunch, long? End,
    int NumTasks, int CompleteTasks, int FailedTasks, int KilledTasks, long RunTime, string? FailureReason)
{
    /// <summary>When its tasks ran: first task launch (else submission) to completion (else <paramref name="now"/>).</summary>
    public (long From, long To)? Span(long now) => (FirstLaunch ?? Start) is { } from ? (from, Math.Max(from, End ?? now)) : null;
}

/// <summary>An executor of the run summary, with its memory peaks.</summary>
internal sealed record ShapeExecutor(string Id, string HostPort, int Cores, long? Added, long? Removed, string? RemoveReason,
    int FailedTasks, int TotalTasks, long TaskTime, long? PeakHeap, long? PeakRss);

/// <summary>
/// A run's /api/v1 documents (application, jobs, stages, executors: Spark's JSON) read back into what the dashboard
/// computes with: jobs, stage attempts, executors and the application's start and end.
/// </summary>
internal sealed record DashboardShape(string AppId, string? AttemptId, int Attempts, long? AppStart, long? AppEnd,
    IReadOnlyList<ShapeJob> Jobs, IReadOnlyList<ShapeStage> Stages, IReadOnlyList<ShapeExecutor> Executors)
{
    private static readonly SparkApi.StageOptions PlainStages = new(false, [], false, SparkApi.DefaultStageQuantiles);

    /// <summary>Reads the run's latest attempt from the model, or <c>null</c> when it has no application start yet.</summary>
    public static async Task<DashboardShape?> ReadAsync(SparkApi api, RunInModel run, CancellationToken ct)
    {
        if (await api.ApplicationAsync(run.AppRef, ct) is not { } application) return null;
        var jobs = await api.JobsAsync(run.Scope, [], ct);
        var stages = await api.StagesAsync(run.Scope, [], PlainStages, ct);
        var executors = await api.ExecutorsAsync(run.Scope, false, ct);
        using var app = JsonDocument.Parse(application);
        using var j = JsonDocument.Parse(jobs);
        using var s = JsonDocument.Parse(stages);
        using var e = JsonDocument.Parse(executors);
        return Parse(app.RootElement, j.RootElement, s.RootElement, e.RootElement);
    }

    /// <summary>Reads Spark's application, jobs, stages and executors documents.</summary>
    public static DashboardShape Parse(JsonElement app, JsonElement jobs, JsonElement stages, JsonElement executors)
    {
        var attempts = app.GetProperty("attempts");
        var latest = attempts[0];
        return new DashboardShape(
            Text(app, "id") ?? "", Text(latest, "attemptId"), attempts.GetArrayLength(), Date(latest, "startTime"),
            latest.TryGetProperty("completed", out var c) && c.GetBoolean() ? Date(latest, "endTime") : null,
            [.. jobs.EnumerateArray().Select(j => new ShapeJob(
                Int(j, "jobId"), Text(j, "name") ?? "", Text(j, "status") ?? "", Date(j, "submissionTime"), Date(j, "completionTime"),
                Int(j, "numTasks"), Int(j, "numFailedTasks")))],
            [.. stages.EnumerateArray().Select(s => new ShapeStage(
                Int(s, "stageId"), Int(s, "attemptId"), Text(s, "name") ?? "", Text(s, "status") ?? "", Date(s, "submissionTime"),
                Date(s, "firstTaskLaunchedTime"), Date(s, "completionTime"), Int(s, "numTasks"), Int(s, "numCompleteTasks"),
                Int(s, "numFailedTasks"), Int(s, "numKilledTasks"), Long(s, "executorRunTime") ?? 0, Text(s, "failureReason")))],
            [.. executors.EnumerateArray().Select(e => new ShapeExecutor(
                Text(e, "id") ?? "", Text(e, "hostPort") ?? "", Int(e, "totalCores"), Date(e, "addTime"), Date(e, "removeTime"),
                Text(e, "removeReason"), Int(e, "failedTasks"), Int(e, "totalTasks"), Long(e, "totalDuration") ?? 0,
                Peak(e, "JVMHeapMemory"), Peak(e, "ProcessTreeJVMRSSMemory")))]);
    }

    /// <summary>Tasks of every stage attempt that ended (completed, failed or killed).</summary>
    public long TaskCount => Stages.Sum(s => (long)s.CompleteTasks + s.FailedTasks + s.KilledTasks);

    /// <summary>Failed task attempts over every stage attempt.</summary>
    public long FailedTaskCount => Stages.Sum(s => (long)s.FailedTasks);

    /// <summary>Executors that ran tasks: every executor with cores (in local mode that is the driver).</summary>
    public IEnumerable<ShapeExecutor> Workers => Executors.Where(e => e.Cores > 0);

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static int Int(JsonElement e, string name) => (int)Math.Clamp(Long(e, name) ?? 0, int.MinValue, int.MaxValue);

    private static long? Date(JsonElement e, string name) => SparkDates.TryParse(Text(e, name), out var ms) ? ms : null;

    private static long? Peak(JsonElement e, string name) =>
        e.TryGetProperty("peakMemoryMetrics", out var peaks) && peaks.ValueKind == JsonValueKind.Object ? Long(peaks, name) : null;
}
