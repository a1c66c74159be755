using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;

namespace Sparkwatch.Retention;

/// <summary>Runs a retention pass every <see cref="RetentionOptions.CheckInterval"/> in the process that runs the archive sink.</summary>
public sealed class HotEventRetentionService(HotEventRetainer retainer, IOptions<SparkwatchOptions> options, ILogger<HotEventRetentionService> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Retention;
        using var timer = new PeriodicTimer(settings.CheckInterval);
        do
        {
            try
            {
                await retainer.RetainDueAsync(settings.HotEventsAge, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Retention failed; trying again in {Interval}.", settings.CheckInterval);
            }
        }
        while (await Tick(timer, stoppingToken));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
