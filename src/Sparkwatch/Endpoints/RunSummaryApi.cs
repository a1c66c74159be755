using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;

namespace Sparkwatch.Endpoints;

/// <summary>The run model in Sparkwatch's own API: one summary document per run for the dashboard.</summary>
public static class RunSummaryApi
{
    /// <summary>Maps <c>GET /job/{job_name}/{run_id}/summary</c>.</summary>
    public static RouteGroupBuilder MapRunSummaryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/job/{job_name}/{run_id}").WithTags("Runs").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/summary", GetSummary)
            .WithName("GetRunSummary")
            .WithSummary("The run's latest attempt as the model sees it: application, jobs, stages and executors (Spark's JSON for each)");
        return group;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSummary(
        SparkApi api, [Description(ApiText.JobName)] string job_name, [Description(ApiText.RunId)] string run_id, CancellationToken cancellationToken) =>
        await api.RunSummaryAsync(job_name, run_id, cancellationToken) is { } json
            ? TypedResults.File(json, "application/json")
            : Problems.UnknownRun(job_name, run_id);
}
