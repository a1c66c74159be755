using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Sinks;

/// <summary>
/// Feeds one sink from the store's accepted stream: claims runs with payloads the sink has not applied, hands it each
/// run's next payloads (at most <see cref="SinkOptions.MaxEventsPerApply"/> events, then the next run: a busy run does not
/// starve the others), and moves the run's cursor after the sink returns. Payloads this process committed lately come
/// from <paramref name="memory"/> when it holds them, the rest from the store. A failing sink is retried with growing
/// waits; the client's acknowledgement never waits for any of this.
/// </summary>
public sealed class SinkRunner(IEventSink sink, IAcceptedLog log, AcceptedSignal signal, SinkOptions options, TimeProvider time, ILogger<SinkRunner> logger,
    AcceptedMemory? memory = null) : BackgroundService
{
    private readonly int _reader = memory?.AddReader() ?? -1;

    // Unique per process and runner: leases taken by a process that died are not mistaken for this one's.
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>The sink this runner feeds.</summary>
    public IEventSink Sink => sink;

    /// <summary>Events applied by this runner since the process started.</summary>
    public long EventsApplied => Interlocked.Read(ref _eventsApplied);

    /// <summary>Of <see cref="EventsApplied"/>, the events taken from memory rather than read back from the store.</summary>
    public long EventsFromMemory => Interlocked.Read(ref _eventsFromMemory);

    /// <summary>The last apply's failure, null once an apply succeeds again.</summary>
    public string? LastError { get; private set; }

    /// <summary>The sink's lag as last measured (at most <see cref="LagRefresh"/> old), null before the first measure.</summary>
    public SinkLag? LatestLag { get; private set; }

    /// <summary>How often the runner measures its sink's lag for metrics.</summary>
    public static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(5);

    private long _eventsApplied;
    private long _eventsFromMemory;
    private long _lagMeasuredAt = long.MinValue;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var committed = signal.Next;
            try
            {
                // Once, and again after a failure (the store may have been replaced): each registration takes the writer.
                if (!registered)
                {
                    await log.RegisterSinkAsync(sink.Name, stoppingToken);
                    registered = true;
                }
                await GiveWayToIngestAsync(stoppingToken);
                var runs = await log.ClaimPendingRunsAsync(sink.Name, _owner, options.Lease, options.RunsPerClaim, stoppingToken);
                await ApplyAsync(runs, stoppingToken);
                await MeasureLagAsync(stoppingToken);
                failures = 0;
                LastError = null;
                if (runs.Count > 0) continue;
                memory?.CaughtUp(_reader); // nothing pending: what commits next is worth keeping for this sink
                await Task.WhenAny(committed, Task.Delay(options.PollInterval, time, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                failures++;
                registered = false;
                LastError = error.Message;
                var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), options.MaxRetryDelay.TotalSeconds));
                logger.LogWarning(error, "Sink {Sink} failed ({Failures} in a row); retrying in {Wait}", sink.Name, failures, wait);
                await Task.Delay(wait, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Waits while ingest is busy in this process (a commit within <see cref="SinkOptions.IngestQuietPeriod"/>) and the
    /// sink's oldest pending payload is younger than <see cref="SinkOptions.MaxDeferral"/>: on a small machine the sinks'
    /// CPU and writes would otherwise come out of the acknowledgements' share.
    /// </summary>
    private async Task GiveWayToIngestAsync(CancellationToken cancellationToken)
    {
        if (options.IngestQuietPeriod <= TimeSpan.Zero) return;
        while (signal.CommittedWithin(options.IngestQuietPeriod))
        {
            await MeasureLagAsync(cancellationToken, refresh: TimeSpan.FromSeconds(1));
            if (LatestLag?.OldestPendingAcceptedAt is { } oldest && time.GetUtcNow().ToUnixTimeMilliseconds() - oldest >= options.MaxDeferral.TotalMilliseconds) return;
            await Task.Delay(options.IngestQuietPeriod, time, cancellationToken);
        }
    }

    private async Task MeasureLagAsync(CancellationToken cancellationToken, TimeSpan? refresh = null)
    {
        var now = time.GetTimestamp();
        if (LatestLag is not null && time.GetElapsedTime(_lagMeasuredAt, now) < (refresh ?? LagRefresh)) return;
        LatestLag = await log.LagAsync(sink.Name, cancellationToken);
        _lagMeasuredAt = now;
    }

    /// <summary>
    /// Applies each claimed run's next payloads, then moves all their cursors in one write (one commit per claim rather
    /// than per run); the runs applied before a failure are marked all the same.
    /// </summary>
    private async Task ApplyAsync(IReadOnlyList<PendingRun> runs, CancellationToken cancellationToken)
    {
        var applied = new List<AppliedRun>(runs.Count);
        try
        {
            foreach (var run in runs)
            {
                var (accepted, fromMemory) = await ReadAsync(run, cancellationToken);
                if (accepted.Events.Count > 0) await sink.ApplyAsync(run, accepted.Events, cancellationToken);
                // Nothing read although the run was pending cannot happen (positions and their rows commit together);
                // moving the cursor to the run's position anyway keeps such a run from being claimed for ever.
                applied.Add(new AppliedRun(run.RunPk, accepted.LastPosition > run.AppliedPosition ? accepted.LastPosition : run.AcceptedPosition));
                Interlocked.Add(ref _eventsApplied, accepted.Events.Count);
                if (fromMemory) Interlocked.Add(ref _eventsFromMemory, accepted.Events.Count);
            }
        }
        finally
        {
            await log.MarkAppliedAsync(sink.Name, _owner, applied, CancellationToken.None);
        }
    }

    /// <summary>The run's next payloads: from memory when it holds the one after the cursor, else from the store.</summary>
    private async Task<(AcceptedEvents Events, bool FromMemory)> ReadAsync(PendingRun run, CancellationToken cancellationToken)
    {
        if (memory?.TryRead(_reader, run.RunPk, run.AppliedPosition, options.MaxEventsPerApply) is { } kept) return (kept, true);
        var read = await log.ReadAcceptedAsync(run.RunPk, run.AppliedPosition, options.MaxEventsPerApply, cancellationToken);
        memory?.Skipped(_reader, run.RunPk, run.AppliedPosition, read.LastPosition);
        return (read, false);
    }
}
