using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;
using Sparkwatch.Storage;

namespace Sparkwatch.Ingestion;

/// <summary>What importing one log did.</summary>
/// <param name="Lines">Event lines read.</param>
/// <param name="Stored">Events new to the store.</param>
/// <param name="Duplicates">Lines already stored by an earlier import.</param>
/// <param name="Quarantined">Lines kept aside as not valid events.</param>
public sealed record ImportCounts(long Lines, long Stored, long Duplicates, long Quarantined);

/// <summary>
/// Stores one event log's lines straight into the store, through the same <see cref="EventNormalizer"/> and batch shape
/// as the HTTP receivers, so that importing the same log again stores nothing new:
/// <list type="bullet">
/// <item><c>seq</c> = the line's number in the log (from 1, counting non-empty lines over all parts), as <c>replay</c> and
/// <c>follow</c> number them: each log of an application attempt counts from 1, as a new driver would, and the store
/// puts the attempts of one run in streams of their own;</item>
/// <item><c>generated_at</c> = <see cref="EventLogTime.Next"/>: the running maximum of the Timestamps, so the run reads back in file order;</item>
/// <item>the batch's receive time is the latest event time so far, so an import never moves a run's last-seen time past the log.</item>
/// </list>
/// </summary>
public sealed class EventLogImporter(IEventStore store, EventNormalizer normalizer, int batchSize = 1000)
{
    private const int ArenaBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Imports <paramref name="log"/> as <paramref name="run"/>; <paramref name="firstTime"/> is <see cref="EventLogTime.Start"/>;
    /// <paramref name="progress"/> is told the counts after each batch.
    /// </summary>
    public async Task<ImportCounts> ImportAsync(EventLog log, RunKey run, long firstTime, Action<ImportCounts>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var counts = new ImportCounts(0, 0, 0, 0);
        var pending = new PendingBatch(ArenaBytes);
        long lineNumber = 0, previousTime = firstTime, latestTime = firstTime;
        try
        {
            foreach (var line in EventLogFiles.ReadLines(log))
            {
                lineNumber++;
                if (pending.Count == batchSize || !pending.Fits(line.Length))
                {
                    if (pending.Count > 0)
                    {
                        counts = await FlushAsync(pending, run, latestTime, uploadComplete: false, counts, cancellationToken);
                        progress?.Invoke(counts);
                    }
                    pending.Dispose();
                    pending = new PendingBatch(Math.Max(ArenaBytes, line.Length));
                }
                if (pending.Count == 0) pending.FirstSeq = lineNumber;
                var content = pending.Copy(line.Span);
                if (normalizer.TryNormalize(run, pending.Count, previousTime, content, out var message, out var rejected))
                {
                    previousTime = EventLogTime.Next(previousTime, message.Facts.Timestamp);
                    pending.Events.Add(message with { GeneratedAt = previousTime });
                }
                else
                {
                    pending.Quarantined.Add(rejected!);
                }
                latestTime = Math.Max(latestTime, previousTime);
                pending.Count++;
            }
            // A finished log is the whole upload: a run without its application end is then incomplete, not running.
            if (pending.Count > 0) counts = await FlushAsync(pending, run, latestTime, uploadComplete: !log.InProgress, counts, cancellationToken);
            progress?.Invoke(counts);
            return counts;
        }
        finally
        {
            pending.Dispose();
        }
    }

    private async Task<ImportCounts> FlushAsync(PendingBatch pending, RunKey run, long receivedAt, bool uploadComplete, ImportCounts counts,
        CancellationToken cancellationToken)
    {
        using var batch = pending.ToBatch(run, receivedAt, uploadComplete);
        var result = (await store.AppendAsync([batch], cancellationToken))[0];
        return new ImportCounts(counts.Lines + batch.MessageCount, counts.Stored + result.EventsStored, counts.Duplicates + result.Duplicates,
            counts.Quarantined + result.Quarantined);
    }

    /// <summary>Lines of one batch, copied into a pooled arena that the batch owns once built.</summary>
    private sealed class PendingBatch(int arenaBytes) : IDisposable
    {
        private PooledBuffer? _arena = PooledBuffer.Rent(arenaBytes);
        private int _used;

        public long FirstSeq { get; set; }
        public int Count { get; set; }
        public List<IngestMessage> Events { get; } = [];
        public List<QuarantinedMessage> Quarantined { get; } = [];

        public bool Fits(int length) => _used + length <= _arena!.Capacity;

        public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> line)
        {
            line.CopyTo(_arena!.AsSpan(_used));
            var copy = _arena.AsMemory(_used, line.Length);
            _used += line.Length;
            return copy;
        }

        public IngestBatch ToBatch(RunKey run, long receivedAt, bool uploadComplete)
        {
            var arena = _arena;
            _arena = null;
            return new IngestBatch(run, FirstSeq, receivedAt, Events, Quarantined, heartbeatCount: 0, messageCount: Count, uploadComplete, pooledArena: arena);
        }

        public void Dispose()
        {
            _arena?.Dispose();
            _arena = null;
        }
    }
}
