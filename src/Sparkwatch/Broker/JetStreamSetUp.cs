namespace Sparkwatch.Broker;

/// <summary>
/// Creates or updates the stream as a collector starts, so a wrong setting (more replicas than servers) shows in the
/// log at once. Never blocks start-up: with NATS unreachable the collector starts anyway, answers 503, and the first
/// publish tries again.
/// </summary>
public sealed class JetStreamSetUp(JetStreamBroker broker, ILogger<JetStreamSetUp> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await broker.JetStreamAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            broker.Reset();
            logger.LogWarning("JetStream is not ready yet ({Error}); payloads get 503 until it is", e.Message);
        }
    }
}
