using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;
using Sparkwatch.Metrics;
using Sparkwatch.Sinks;
using Sparkwatch.Storage;

namespace Sparkwatch.Ingestion;

/// <summary>
/// Group commit: requests hand their decoded batch to one writer loop, which stores whatever is waiting in one
/// durable transaction and then completes each request. A request is acknowledged only after its commit.
/// </summary>
public sealed class IngestWriter(IEventStore store, IOptions<SparkwatchOptions> options, AcceptedSignal accepted, SparkwatchMetrics metrics,
    ILogger<IngestWriter> logger) : BackgroundService
{
    private readonly WriterOptions _options = options.Value.Writer;
    private readonly Channel<PendingBatch> _queue = Channel.CreateBounded<PendingBatch>(
        new BoundedChannelOptions(options.Value.Writer.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Stores <paramref name="batch"/> durably; completes once it is committed.</summary>
    public async Task<AppendResult> WriteAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        // What needs no transaction (compression) runs here, on the caller's thread, in parallel with other requests.
        store.PrepareAppend(batch);
        var pending = new PendingBatch(batch);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Completion.Task;
    }

    /// <summary>Payloads waiting for the writer.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingBatch>();
        // Not tied to stoppingToken: on shutdown the queue is completed and what it holds is still written.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            var events = 0;
            while (group.Count < _options.MaxBatchesPerCommit && events < _options.MaxEventsPerCommit && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
                events += next.Batch.Events.Count;
            }
            await CommitAsync(group);
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task CommitAsync(List<PendingBatch> group)
    {
        try
        {
            var startedAt = Stopwatch.GetTimestamp();
            var results = await store.AppendAsync([.. group.Select(p => p.Batch)]);
            metrics.Committed(startedAt, group.Count, EventBytes(group));
            for (var i = 0; i < group.Count; i++) group[i].Completion.TrySetResult(results[i]);
            accepted.Notify();
        }
        catch (Exception groupError) when (group.Count > 1)
        {
            // One bad batch must not fail the others that shared its transaction: retry each on its own.
            logger.LogWarning(groupError, "A group commit of {Count} payloads failed; retrying them one by one", group.Count);
            foreach (var pending in group) await CommitAsync([pending]);
        }
        catch (Exception error)
        {
            logger.LogError(error, "Storing a payload of {Run} failed", group[0].Batch.Run);
            group[0].Completion.TrySetException(error);
        }
    }

    private static long EventBytes(List<PendingBatch> group)
    {
        long bytes = 0;
        foreach (var pending in group)
        {
            var events = pending.Batch.Events;
            for (var i = 0; i < events.Count; i++) bytes += events[i].Json.Length;
        }
        return bytes;
    }

    private sealed record PendingBatch(IngestBatch Batch)
    {
        public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
