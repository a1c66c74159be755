using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: an application's SQL executions.</summary>
public static class SparkSqlApi
{
    /// <summary>Maps <c>sql</c> and <c>sql/{executionId}</c> under both application prefixes.</summary>
    public static IEndpointRouteBuilder MapSparkSqlApi(this IEndpointRouteBuilder app)
    {
        foreach (var (prefix, i) in AppPrefixes.Select((p, i) => (p, i)))
        {
            var group = app.MapGroup(prefix).WithTags("Spark History Server API").ProducesProblem(StatusCodes.Status404NotFound);
            group.MapGet("/sql", ListExecutions).WithName($"SparkSqlExecutions{i}").WithSummary("The application's SQL executions, by id")
                .ProducesProblem(StatusCodes.Status400BadRequest);
            group.MapGet("/sql/{executionId:long}", GetExecution).WithName($"SparkSqlExecution{i}").WithSummary("One SQL execution")
                .ProducesProblem(StatusCodes.Status400BadRequest);
        }
        return app;
    }

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> ListExecutions(
        SparkApi api, string app, HttpContext context,
        [Description("Include the plan's nodes and edges (default true)")] bool? details,
        [Description("Include the physical plan's description (default true)")] bool? planDescription,
        [Description("Executions skipped (default 0)")] int? offset,
        [Description("Executions returned at most; 0 or less for all (the default)")] int? length,
        CancellationToken ct) =>
        InScopeAsync(api, app, context, async scope => await api.SqlExecutionsAsync(scope, Options(details, planDescription), offset ?? 0, length ?? -1, ct), "SQL executions", ct);

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetExecution(
        SparkApi api, string app, HttpContext context, long executionId,
        [Description("Include the plan's nodes and edges (default true)")] bool? details,
        [Description("Include the physical plan's description (default true)")] bool? planDescription,
        CancellationToken ct) =>
        InScopeAsync(api, app, context, scope => api.SqlExecutionAsync(scope, executionId, Options(details, planDescription), ct), $"SQL execution {executionId}", ct);

    // Spark's defaults: both true.
    private static SparkApi.SqlOptions Options(bool? details, bool? planDescription) => new(details ?? true, planDescription ?? true);
}
