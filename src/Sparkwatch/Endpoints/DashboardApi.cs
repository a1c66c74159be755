using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.JobsApi;

namespace Sparkwatch.Endpoints;

/// <summary>
/// The dashboard: its page at <c>/</c> (hash-routed, so no API route is shadowed), its files under <c>/ui/assets/</c>,
/// and the small documents its pages draw from under <c>/ui/api/</c>, computed on the server from the run model.
/// </summary>
public static class DashboardApi
{
    /// <summary>Maps the dashboard. The page and its files are open (they hold no data); its documents take read keys like the API.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var assets = new DashboardAssets();
        var stream = ActivatorUtilities.CreateInstance<DashboardStream>(app.ServiceProvider);
        app.MapGet("/", (HttpContext c) => assets.Serve(c, "index.html")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/ui/assets/{**path}", (HttpContext c, string path) => assets.Serve(c, path)).ExcludeFromDescription().AllowAnonymous();

        var api = app.MapGroup("/ui/api").ExcludeFromDescription();
        api.MapGet("/jobs", async ([AsParameters] ReadServices s, CancellationToken ct) => TypedResults.Ok(await DashboardJobsView.JobsAsync(s, ct)));
        api.MapGet("/runs", async Task<Results<Ok<RunsView>, ProblemHttpResult>> ([AsParameters] ReadServices s, string job, int? limit, CancellationToken ct) =>
            await DashboardJobsView.RunsAsync(s, job, limit, ct) is { } view ? TypedResults.Ok(view) : Problems.UnknownJob(job));
        api.MapGet("/stats", async Task<Results<Ok<RunStatsView[]>, ProblemHttpResult>> ([AsParameters] ReadServices s, SparkApi sparkApi, string job, string runs, CancellationToken ct) =>
        {
            var ids = runs.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 100) return Problems.InvalidQuery("runs names at most 100 runs.");
            return TypedResults.Ok(await DashboardJobsView.StatsAsync(s, sparkApi, job, ids, ct));
        });
        api.MapGet("/run", async Task<Results<Ok<RunView>, ProblemHttpResult>> ([AsParameters] ReadServices s, SparkApi sparkApi, string job, string run, CancellationToken ct) =>
            await DashboardRunView.BuildAsync(s, sparkApi, job, run, ct) is { } view ? TypedResults.Ok(view) : Problems.UnknownRun(job, run));
        api.MapGet("/compare", async Task<Results<Ok<CompareView>, ProblemHttpResult>> ([AsParameters] ReadServices s, SparkApi sparkApi, string job, string a, string b, CancellationToken ct) =>
            await DashboardCompareView.BuildAsync(s, sparkApi, job, a, b, ct) is { } view ? TypedResults.Ok(view) : Problems.UnknownRun(job, $"{a} or {b}"));
        api.MapGet("/stream", async (HttpContext c, [AsParameters] ReadServices s, string? job, string? run) =>
            await stream.RunAsync(c, s, job, run) ?? Results.Empty);
        return app;
    }
}
