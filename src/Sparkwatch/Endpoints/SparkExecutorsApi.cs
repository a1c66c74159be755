using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: an application's executors and environment.</summary>
public static class SparkExecutorsApi
{
    /// <summary>Maps <c>executors</c>, <c>allexecutors</c> and <c>environment</c> under both application prefixes.</summary>
    public static IEndpointRouteBuilder MapSparkExecutorsApi(this IEndpointRouteBuilder app)
    {
        foreach (var (prefix, i) in AppPrefixes.Select((p, i) => (p, i)))
        {
            var group = app.MapGroup(prefix).WithTags("Spark History Server API").ProducesProblem(StatusCodes.Status404NotFound);
            group.MapGet("/executors", (SparkApi api, string app, HttpContext context, CancellationToken ct) => Executors(api, app, context, true, ct))
                .WithName($"SparkExecutors{i}").WithSummary("The application's active executors (and the driver)");
            group.MapGet("/allexecutors", (SparkApi api, string app, HttpContext context, CancellationToken ct) => Executors(api, app, context, false, ct))
                .WithName($"SparkAllExecutors{i}").WithSummary("Every executor the application had, removed ones included");
            group.MapGet("/environment", Environment).WithName($"SparkEnvironment{i}").WithSummary("The application's environment (secrets redacted)");
        }
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Executors(SparkApi api, string app, HttpContext context, bool activeOnly, CancellationToken ct)
    {
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.ExecutorsAsync(scope, activeOnly, ct), "Executors");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Environment(SparkApi api, string app, HttpContext context, CancellationToken ct)
    {
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await api.EnvironmentAsync(scope, ct), "Environment");
    }
}
