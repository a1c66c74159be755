using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sparkwatch.Core.Runs;
using Sparkwatch.Hosting;
using Sparkwatch.Storage;

namespace Sparkwatch.Endpoints;

/// <summary><c>GET /job</c> and <c>GET /job/{job_name}</c>: which jobs exist and which runs each had.</summary>
public static class JobsApi
{
    /// <summary>Maps the job and run lists.</summary>
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/job").WithTags("Jobs");
        group.MapGet("", ListJobs)
            .WithName("ListJobs")
            .WithSummary("List every job, sorted by name (ordinal), a page at a time")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{job_name}", ListRuns)
            .WithName("ListRuns")
            .WithSummary("List a job's runs, newest first, with each run's status")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>Services the read endpoints need.</summary>
    public sealed record ReadServices(IEventStore Store, IOptions<SparkwatchOptions> Options, TimeProvider Clock)
    {
        /// <summary>The run's duration and status as of now.</summary>
        public RunDuration DurationOf(RunFacts facts) =>
            RunDuration.From(facts, Clock.GetUtcNow().ToUnixTimeMilliseconds(), Options.Value.RunSilenceTimeout);
    }

    private static async Task<Results<Ok<JobListResponse>, ProblemHttpResult>> ListJobs(
        [AsParameters] ReadServices services, [Description(ApiText.Cursor)] string? cursor, [Description(ApiText.Limit)] int? limit, CancellationToken cancellationToken)
    {
        if (!Cursors.TryDecode(cursor, out var after)) return Problems.InvalidQuery($"cursor '{cursor}' is not a cursor this API returned.");
        var pageSize = Cursors.PageSize(limit, services.Options.Value.Limits);
        var jobs = await services.Store.ListJobsAsync(after, pageSize, cancellationToken);
        var next = jobs.Count == pageSize ? Cursors.Encode(jobs[^1].JobName) : null;
        return TypedResults.Ok(new JobListResponse([.. jobs.Select(j => new JobItem(j.JobName, j.RunCount, j.LastSeenAt))], next));
    }

    private static async Task<Results<Ok<RunListResponse>, ProblemHttpResult>> ListRuns(
        HttpContext context, [Description(ApiText.JobName)] string job_name, [AsParameters] ReadServices services, [Description(ApiText.Cursor)] string? cursor, [Description(ApiText.Limit)] int? limit, CancellationToken cancellationToken)
    {
        var jobName = PathNames.JobName(context, job_name);
        if (!Cursors.TryDecodeRun(cursor, out var after)) return Problems.InvalidQuery($"cursor '{cursor}' is not a cursor this API returned.");
        var pageSize = Cursors.PageSize(limit, services.Options.Value.Limits);
        var runs = await services.Store.ListRunsAsync(jobName, after, pageSize, cancellationToken);
        if (runs is null) return Problems.UnknownJob(jobName);
        var next = runs.Count == pageSize ? Cursors.ForRun(runs[^1].SortTime, runs[^1].RunId) : null;
        return TypedResults.Ok(new RunListResponse(jobName, [.. runs.Select(r => RunItem.From(r, services.DurationOf(r)))], next));
    }
}
