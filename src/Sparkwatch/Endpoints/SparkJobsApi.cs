using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: an application's jobs.</summary>
public static class SparkJobsApi
{
    private static readonly string[] JobStatuses = ["RUNNING", "SUCCEEDED", "FAILED", "UNKNOWN"];

    /// <summary>Maps <c>jobs</c> and <c>jobs/{id}</c> under both application prefixes.</summary>
    public static IEndpointRouteBuilder MapSparkJobsApi(this IEndpointRouteBuilder app)
    {
        foreach (var (prefix, i) in AppPrefixes.Select((p, i) => (p, i)))
        {
            var group = app.MapGroup(prefix).WithTags("Spark History Server API").ProducesProblem(StatusCodes.Status404NotFound);
            group.MapGet("/jobs", ListJobs).WithName($"SparkJobs{i}").WithSummary("The application's jobs, newest first");
            group.MapGet("/jobs/{jobId:int}", GetJob).WithName($"SparkJob{i}").WithSummary("One job");
        }
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ListJobs(
        SparkApi api, string app, HttpContext context, string[]? status, CancellationToken ct)
    {
        if (!TryStatuses(status, JobStatuses, "status", out var statuses, out var bad)) return bad!;
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.JobsAsync(scope, statuses, ct), "Jobs");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetJob(SparkApi api, string app, HttpContext context, int jobId, CancellationToken ct)
    {
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.JobAsync(scope, jobId, ct), $"Job {jobId}");
    }
}
