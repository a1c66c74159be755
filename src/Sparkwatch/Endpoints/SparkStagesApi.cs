using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: stages, stage attempts, their task summaries and task lists.</summary>
public static class SparkStagesApi
{
    private static readonly string[] StageStatuses = ["ACTIVE", "COMPLETE", "FAILED", "PENDING", "SKIPPED"];
    private static readonly string[] TaskStatuses = ["RUNNING", "KILLED", "FAILED", "SUCCESS", "UNKNOWN"];

    /// <summary>Maps the stage endpoints under both application prefixes.</summary>
    public static IEndpointRouteBuilder MapSparkStagesApi(this IEndpointRouteBuilder app)
    {
        foreach (var (prefix, i) in AppPrefixes.Select((p, i) => (p, i)))
        {
            var group = app.MapGroup(prefix).WithTags("Spark History Server API").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
            group.MapGet("/stages", ListStages).WithName($"SparkStages{i}").WithSummary("The application's stage attempts, newest first");
            group.MapGet("/stages/{stageId:int}", GetStageAttempts).WithName($"SparkStage{i}").WithSummary("Every attempt of one stage");
            group.MapGet("/stages/{stageId:int}/{stageAttemptId:int}", GetStageAttempt).WithName($"SparkStageAttempt{i}").WithSummary("One stage attempt");
            group.MapGet("/stages/{stageId:int}/{stageAttemptId:int}/taskSummary", GetTaskSummary).WithName($"SparkTaskSummary{i}")
                .WithSummary("Quantiles of the successful tasks' metrics");
            group.MapGet("/stages/{stageId:int}/{stageAttemptId:int}/taskList", GetTaskList).WithName($"SparkTaskList{i}")
                .WithSummary("A page of the stage attempt's tasks");
        }
        return app;
    }

    /// <summary>Spark's stage query parameters.</summary>
    public sealed record StageParameters(string[]? status, bool? details, bool? withSummaries, string? quantiles, string[]? taskStatus)
    {
        internal bool TryParse(bool detailsByDefault, out string[] statuses, out SparkApi.StageOptions options, out ProblemHttpResult? problem)
        {
            options = null!;
            if (!TryStatuses(status, StageStatuses, "status", out statuses, out problem)) return false;
            if (!TryStatuses(taskStatus, TaskStatuses, "taskStatus", out var tasks, out problem)) return false;
            if (!TryQuantiles(quantiles, SparkApi.DefaultStageQuantiles, out var q, out problem)) return false;
            options = new SparkApi.StageOptions(details ?? detailsByDefault, tasks, withSummaries ?? false, q);
            return true;
        }
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ListStages(
        SparkApi api, string app, HttpContext context, [AsParameters] StageParameters parameters, CancellationToken ct)
    {
        if (!parameters.TryParse(false, out var statuses, out var options, out var bad)) return bad!;
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.StagesAsync(scope, statuses, options, ct), "Stages");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetStageAttempts(
        SparkApi api, string app, HttpContext context, int stageId, [AsParameters] StageParameters parameters, CancellationToken ct)
    {
        if (!parameters.TryParse(true, out _, out var options, out var bad)) return bad!;
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.StageAttemptsAsync(scope, stageId, options, ct), $"Stage {stageId}");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetStageAttempt(
        SparkApi api, string app, HttpContext context, int stageId, int stageAttemptId, [AsParameters] StageParameters parameters, CancellationToken ct)
    {
        if (!parameters.TryParse(true, out _, out var options, out var bad)) return bad!;
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.StageAsync(scope, stageId, stageAttemptId, options, ct), $"Stage {stageId} attempt {stageAttemptId}");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTaskSummary(
        SparkApi api, string app, HttpContext context, int stageId, int stageAttemptId, string? quantiles, CancellationToken ct)
    {
        if (!TryQuantiles(quantiles, SparkApi.DefaultSummaryQuantiles, out var q, out var bad)) return bad!;
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.TaskSummaryAsync(scope, stageId, stageAttemptId, q, ct), $"Task metrics of stage {stageId} attempt {stageAttemptId}");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTaskList(
        SparkApi api, string app, HttpContext context, int stageId, int stageAttemptId, int? offset, int? length, string? sortBy, string[]? status, CancellationToken ct)
    {
        TaskOrder? order = sortBy?.ToUpperInvariant() switch
        {
            null or "ID" => TaskOrder.Id,
            "INCREASING_RUNTIME" or "RUNTIME" => TaskOrder.IncreasingRuntime,
            "DECREASING_RUNTIME" or "-RUNTIME" => TaskOrder.DecreasingRuntime,
            _ => null,
        };
        if (order is null) return Problems.InvalidQuery($"'sortBy' must be ID, INCREASING_RUNTIME, DECREASING_RUNTIME, runtime or -runtime; got '{sortBy}'.");
        if (offset < 0 || length < 0) return Problems.InvalidQuery("'offset' and 'length' must not be negative.");
        if (!TryStatuses(status, TaskStatuses, "status", out var statuses, out var bad)) return bad!;
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        if (scope is null) return problem!;
        return JsonOr404(await api.TaskListAsync(scope, stageId, stageAttemptId, offset ?? 0, length ?? 20, order.Value, statuses, ct), $"Stage {stageId} attempt {stageAttemptId}");
    }
}
