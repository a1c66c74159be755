using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;

namespace Sparkwatch.Broker;

/// <summary>
/// Readiness of a collector with <c>Broker:Kind=nats</c>: it can acknowledge payloads only while JetStream answers, so
/// it is not ready (and its Service sends the listener elsewhere) while JetStream is unreachable, and ready again when
/// it is back. The probe waits at most <see cref="BrokerOptions.PublishTimeout"/>, as a publish would.
/// </summary>
public sealed class BrokerHealthCheck(JetStreamBroker broker, IOptions<SparkwatchOptions> options) : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.Broker;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.PublishTimeout);
        try
        {
            await broker.ProbeAsync(timeout.Token);
            return HealthCheckResult.Healthy($"JetStream stream {settings.Stream} answers at {settings.Url}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"no answer within {settings.PublishTimeout.TotalSeconds:0.#} s" : e.Message;
            return HealthCheckResult.Unhealthy($"JetStream at {settings.Url} does not answer: {why}");
        }
    }
}
