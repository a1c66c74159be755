using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sparkwatch.Storage;

namespace Sparkwatch.Endpoints;

/// <summary><c>/health</c> (liveness: the process answers) and <c>/health/ready</c> (readiness: the store answers too, and JetStream in a collector with a broker).</summary>
public static class HealthApi
{
    /// <summary>The tag of checks that readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps the health endpoints.</summary>
    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("", () => TypedResults.Ok(new HealthResponse("alive", [])))
            .WithName("Liveness")
            .WithSummary("Liveness: 200 while the process runs");
        group.MapGet("/ready", Ready)
            .WithName("Readiness")
            .WithSummary("Readiness: 200 when the store (and, in a collector with a broker, JetStream) answers, 503 with the failing checks otherwise");
        return group;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        var body = new HealthResponse(report.Status == HealthStatus.Healthy ? "ready" : "not_ready",
            [.. report.Entries.Select(e => new HealthCheckItem(e.Key, e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description ?? e.Value.Exception?.Message))]);
        return report.Status == HealthStatus.Healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>A health answer.</summary>
/// <param name="Status"><c>alive</c>, <c>ready</c> or <c>not_ready</c>.</param>
/// <param name="Checks">Each check run, with its outcome.</param>
public sealed record HealthResponse(string Status, IReadOnlyList<HealthCheckItem> Checks);

/// <summary>One health check's outcome.</summary>
/// <param name="Name">The check.</param>
/// <param name="Status">healthy, degraded or unhealthy.</param>
/// <param name="Description">What it found.</param>
public sealed record HealthCheckItem(string Name, string Status, string? Description);

/// <summary>Readiness check: a read from the store.</summary>
public sealed class StoreHealthCheck(IEventStore store) : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy("store answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"store does not answer: {e.Message}", e);
        }
    }
}
