using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: the applications list, one application, the version.</summary>
public static class SparkApplicationsApi
{
    /// <summary>Maps <c>/api/v1/applications</c>, <c>/api/v1/applications/{app}</c>, <c>/api/v1/applications/{app}/{attempt}</c> and <c>/api/v1/version</c>.</summary>
    public static RouteGroupBuilder MapSparkApplicationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Spark History Server API");
        group.MapGet("/applications", ListApplications)
            .WithName("SparkApplications")
            .WithSummary("Runs as Spark applications, with Spark's filters")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/applications/{app}", GetApplication)
            .WithName("SparkApplication")
            .WithSummary("One application and its attempts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/applications/{app}/{attempt}", GetAttempt)
            .WithName("SparkApplicationAttempt")
            .WithSummary("One attempt of an application")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/version", () => TypedResults.Ok(new SparkVersion(SparkVersion.Emulated)))
            .WithName("SparkVersion")
            .WithSummary("The Spark version whose REST API this one follows");
        return group;
    }

    /// <summary>Spark's <c>version</c> answer.</summary>
    /// <param name="Spark">The version.</param>
    public sealed record SparkVersion(string Spark)
    {
        /// <summary>The Spark release whose /api/v1 the answers follow.</summary>
        public const string Emulated = "4.0.0";
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ListApplications(
        SparkApi api,
        [Description("completed or running")] string? status,
        [Description("Earliest start: yyyy-MM-dd, yyyy-MM-dd'T'HH:mm:ss.SSSz or epoch ms")] string? minDate,
        [Description("Latest start")] string? maxDate,
        [Description("Earliest end")] string? minEndDate,
        [Description("Latest end")] string? maxEndDate,
        [Description("Most applications returned")] int? limit,
        [Description("Only runs of this Sparkwatch job (tells apart runs that share an application id)")] string? job,
        CancellationToken cancellationToken)
    {
        bool? completed = status?.ToLowerInvariant() switch { null => null, "completed" => true, "running" => false, _ => null };
        if (status is not null && completed is null) return Problems.InvalidQuery($"'status' must be completed or running; got '{status}'.");
        long? Date(string? text, string name, ref ProblemHttpResult? problem)
        {
            if (text is null) return null;
            if (SparkDates.TryParse(text, out var ms)) return ms;
            problem ??= Problems.InvalidQuery($"'{name}' must be yyyy-MM-dd, yyyy-MM-dd'T'HH:mm:ss.SSSz or epoch milliseconds; got '{text}'.");
            return null;
        }
        ProblemHttpResult? problem = null;
        var filter = new ApplicationFilter(completed, Date(minDate, "minDate", ref problem), Date(maxDate, "maxDate", ref problem),
            Date(minEndDate, "minEndDate", ref problem), Date(maxEndDate, "maxEndDate", ref problem), limit is > 0 ? limit.Value : int.MaxValue, job);
        if (problem is not null) return problem;
        return JsonOr404(await api.ApplicationsAsync(filter, cancellationToken), "Applications");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetApplication(SparkApi api, string app, CancellationToken cancellationToken) =>
        JsonOr404(await api.ApplicationAsync(app, cancellationToken), $"Application '{app}'");

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAttempt(SparkApi api, string app, HttpContext context, CancellationToken cancellationToken) =>
        InScopeAsync(api, app, context, scope => api.AttemptAsync(scope, cancellationToken), "Attempt", cancellationToken);
}
