using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: an application's RDD storage and miscellaneous processes.</summary>
public static class SparkStorageApi
{
    /// <summary>Maps <c>storage/rdd</c>, <c>storage/rdd/{id}</c> and <c>allmiscellaneousprocess</c> under both application prefixes.</summary>
    public static IEndpointRouteBuilder MapSparkStorageApi(this IEndpointRouteBuilder app)
    {
        foreach (var (prefix, i) in AppPrefixes.Select((p, i) => (p, i)))
        {
            var group = app.MapGroup(prefix).WithTags("Spark History Server API").ProducesProblem(StatusCodes.Status404NotFound);
            group.MapGet("/storage/rdd", ListRdds).WithName($"SparkRdds{i}").WithSummary("The application's persisted RDDs that have cached partitions");
            group.MapGet("/storage/rdd/{rddId:int}", GetRdd).WithName($"SparkRdd{i}").WithSummary("One persisted RDD, its partitions and data distribution");
            group.MapGet("/allmiscellaneousprocess", ListMiscProcesses).WithName($"SparkMiscProcesses{i}")
                .WithSummary("The application's processes other than the driver and executors (e.g. YARN's application master)");
        }
        return app;
    }

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> ListRdds(SparkApi api, string app, HttpContext context, CancellationToken ct) =>
        InScopeAsync(api, app, context, async scope => await api.RddsAsync(scope, ct), "RDDs", ct);

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetRdd(SparkApi api, string app, HttpContext context, int rddId, CancellationToken ct) =>
        InScopeAsync(api, app, context, scope => api.RddAsync(scope, rddId, ct), $"RDD {rddId}", ct);

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> ListMiscProcesses(SparkApi api, string app, HttpContext context, CancellationToken ct) =>
        InScopeAsync(api, app, context, async scope => await api.MiscProcessesAsync(scope, ct), "Processes", ct);
}
