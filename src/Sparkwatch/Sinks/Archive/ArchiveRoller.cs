using Sparkwatch.Archive;

namespace Sparkwatch.Sinks.Archive;

/// <summary>
/// Closes open parts that reached the roll interval while their runs sent nothing more, so a live run's events are in a
/// part Spark reads within about <see cref="ArchiveOptions.RollInterval"/>. At start it takes over the open parts an earlier
/// process left.
/// </summary>
public sealed class ArchiveRoller(RunArchiver archiver, ArchiveOptions options, ILogger<ArchiveRoller> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Checked four times per interval: a part is closed at most a quarter interval late.
        var tick = options.RollInterval / 4;
        var resumed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!resumed) await archiver.ResumeAsync(await archiver.OpenRunsAsync(stoppingToken), stoppingToken);
                resumed = true;
                await archiver.RollDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Closing the archive's open parts failed; trying again in {Tick}.", tick);
            }
            try
            {
                await Task.Delay(tick, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
