using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sparkwatch.Storage;

namespace Sparkwatch.Endpoints;

/// <summary><c>/health</c> (liveness: the process answers) and <c>/health/ready</c> (readiness: the store answers too).</summary>
public static class HealthApi
{
    /// <summary>The tag of checks that readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps the health endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).WithTags("Health").WithName("Liveness").WithSummary("Liveness: 200 while the process runs");
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithTags("Health").WithName("Readiness").WithSummary("Readiness: 200 when the store answers, 503 otherwise");
        return app;
    }
}

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
            return HealthCheckResult.Unhealthy("store does not answer", e);
        }
    }
}
