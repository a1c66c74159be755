using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Appending;

/// <summary>
/// How a payload is appended to its run, decided once for every engine:
/// <list type="bullet">
/// <item>a payload without counters is numbered after the run's highest seq (heartbeats take seqs too);</item>
/// <item>a payload with counters goes to the run's newest stream; a seq stored already with the same bytes is a
/// duplicate (a retry or a partial retry). A seq stored with <em>different</em> bytes means the payload is not of that
/// stream: it goes to the newest older stream where some of its seqs hold the same bytes and none differ (a late retry),
/// else to a new stream (a new driver or attempt that counts from 1 again). In a run with several streams, a payload
/// whose messages an older stream holds already is that stream's late retry, even where the newest stream has not
/// reached its seqs;</item>
/// <item>a client that rebuilds retries under new counters (<see cref="RetryNumbering.RebuiltWithNewCounters"/>): a
/// payload whose first messages are the run's last payload, in order, is its retry; those messages are duplicates;</item>
/// <item>new application starts and ends become run facts; the run row keeps counts, max seq, times, newest stream;</item>
/// <item>the payload's newly stored events take the run's next position in the accepted stream that sinks (the run
/// model among them) consume.</item>
/// </list>
/// The fast path (nothing stored at the payload's seqs) reads nothing per message.
/// </summary>
public static class AppendRules
{
    /// <summary>Appends <paramref name="batch"/> through <paramref name="store"/>, inside the caller's transaction.</summary>
    public static async Task<AppendResult> AppendAsync(IAppendTransaction store, IngestBatch batch, CancellationToken cancellationToken)
    {
        var run = await store.LockRunAsync(batch, cancellationToken);
        var hashes = MessageHashes.ByOrdinal(batch);
        var retried = RetriedPrefix(batch, run, hashes);
        var stream = run.Stream;
        var rows = PayloadRows.Of(batch, hashes, retried, ordinal => SeqOf(batch, run, stream, ordinal));
        if (batch.FirstSeq is not null && run.Stream > 0 && rows.Count > 0 && await LateRetryStreamAsync(store, batch, run, rows, cancellationToken) is { } older)
        {
            stream = older;
            rows = PayloadRows.Of(batch, hashes, retried, ordinal => SeqOf(batch, run, stream, ordinal));
        }
        var inserted = await store.InsertAsync(run.RunPk, rows.Events, rows.Quarantined, batch.ReceivedAt, cancellationToken);
        if (batch.FirstSeq is not null && inserted.Count < rows.Count && await AnyDiffersAsync(store, run.RunPk, rows.Seqs.Where(s => !inserted.Contains(s)).ToList(), rows, cancellationToken))
        {
            await store.DeleteAsync(run.RunPk, [.. inserted], cancellationToken);
            stream = await ResolveStreamAsync(store, batch, run, rows, cancellationToken);
            rows = PayloadRows.Of(batch, hashes, retried, ordinal => SeqOf(batch, run, stream, ordinal));
            inserted = await store.InsertAsync(run.RunPk, rows.Events, rows.Quarantined, batch.ReceivedAt, cancellationToken);
        }
        var stored = new List<EventRow>();
        var generatedAt = (From: long.MaxValue, To: long.MinValue);
        foreach (var row in rows.Events.Where(r => inserted.Contains(r.Seq)))
        {
            stored.Add(row);
            generatedAt = (Math.Min(generatedAt.From, row.Event.GeneratedAt), Math.Max(generatedAt.To, row.Event.GeneratedAt));
            await RecordFactsAsync(store, run.RunPk, row.Event, cancellationToken);
        }
        if (stored.Count > 0) await store.RecordAcceptedAsync(run.RunPk, stored, generatedAt, batch.ReceivedAt, cancellationToken);
        var quarantined = rows.Quarantined.Count(r => inserted.Contains(r.Seq));
        await store.UpdateRunAsync(run.RunPk, new RunUpdate(
            stored.Count, quarantined,
            MaxSeq: batch.MessageCount == 0 ? StoreSentinels.NoSeq : SeqOf(batch, run, stream, batch.MessageCount - 1),
            LastSeenAt: batch.ReceivedAt,
            MinGeneratedAt: batch.Events.Count == 0 ? batch.ReceivedAt : batch.Events.Min(e => e.GeneratedAt),
            batch.UploadComplete, stream,
            LastPayload: batch.Retries == RetryNumbering.RebuiltWithNewCounters && batch.MessageCount > 0
                ? (batch.MessageCount, MessageHashes.OfPrefix(hashes, batch.MessageCount)) : null), cancellationToken);
        var duplicates = batch.Events.Count + batch.Quarantined.Count - stored.Count - quarantined;
        return new AppendResult(stored.Count, duplicates, quarantined);
    }

    /// <summary>The stored seq of the message at <paramref name="ordinal"/>.</summary>
    private static long SeqOf(IngestBatch batch, RunState run, long stream, int ordinal) =>
        batch.FirstSeq is { } first ? StreamSeq.Fold(stream, first + ordinal) : batch.SeqOf(ordinal, run.MaxSeq);

    /// <summary>How many of the first messages are a retry of the run's last payload (rebuilt under new counters), else 0.</summary>
    private static int RetriedPrefix(IngestBatch batch, RunState run, long[] hashes) =>
        batch.Retries == RetryNumbering.RebuiltWithNewCounters && run.LastPayloadCount > StoreSentinels.NoPayload
        && batch.MessageCount >= run.LastPayloadCount && MessageHashes.OfPrefix(hashes, run.LastPayloadCount) == run.LastPayloadHash
            ? run.LastPayloadCount : 0;

    /// <summary>True when some of <paramref name="seqs"/> holds bytes other than the payload's (a row without a hash is taken as the same).</summary>
    private static async Task<bool> AnyDiffersAsync(IAppendTransaction store, long runPk, IReadOnlyList<long> seqs, PayloadRows rows, CancellationToken cancellationToken)
    {
        var stored = await store.StoredHashesAsync(runPk, seqs, cancellationToken);
        return stored.Any(s => s.Value is { } hash && hash != rows.HashAt(s.Key));
    }

    /// <summary>The newest older stream that holds some of the payload's messages and none that differ, else a new stream.</summary>
    private static async Task<long> ResolveStreamAsync(IAppendTransaction store, IngestBatch batch, RunState run, PayloadRows rows, CancellationToken cancellationToken)
    {
        for (var stream = run.Stream - 1; stream >= 0; stream--)
        {
            if (await HoldsAsync(store, batch, run, rows, stream, cancellationToken)) return stream;
        }
        return run.Stream + 1;
    }

    /// <summary>
    /// In a run with several streams, a retry of an older stream can land on seqs the newest stream has not reached yet.
    /// One probe per older stream (its first message's seq) finds it; only a hit reads the payload's other seqs.
    /// </summary>
    private static async Task<long?> LateRetryStreamAsync(IAppendTransaction store, IngestBatch batch, RunState run, PayloadRows rows, CancellationToken cancellationToken)
    {
        var first = rows.Seqs.First();
        var clientSeq = first - StreamSeq.Fold(run.Stream, 0);
        for (var stream = run.Stream - 1; stream >= 0; stream--)
        {
            var probe = StreamSeq.Fold(stream, clientSeq);
            var stored = await store.StoredHashesAsync(run.RunPk, [probe], cancellationToken);
            if (stored.TryGetValue(probe, out var hash) && (hash is null || hash == rows.HashAt(first))
                && await HoldsAsync(store, batch, run, rows, stream, cancellationToken))
            {
                return stream;
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="stream"/> holds some of the payload's messages, and none that differ.</summary>
    private static async Task<bool> HoldsAsync(IAppendTransaction store, IngestBatch batch, RunState run, PayloadRows rows, long stream, CancellationToken cancellationToken)
    {
        var candidate = PayloadRows.Of(batch, rows.HashesByOrdinal, rows.Skipped, ordinal => SeqOf(batch, run, stream, ordinal));
        var stored = await store.StoredHashesAsync(run.RunPk, [.. candidate.Seqs], cancellationToken);
        return stored.Count > 0 && stored.All(s => s.Value is not { } hash || hash == candidate.HashAt(s.Key));
    }

    private static async Task RecordFactsAsync(IAppendTransaction store, long runPk, IngestMessage e, CancellationToken cancellationToken)
    {
        if (e.Facts is { IsApplicationStart: true, Timestamp: { } start })
        {
            await store.RecordStartAsync(runPk, e.Facts.AttemptId ?? StoreSentinels.NoAttemptId, start, e.Facts.AppId, e.Facts.AppName, cancellationToken);
        }
        if (e.Facts is { IsApplicationEnd: true, Timestamp: { } end }) await store.RecordEndAsync(runPk, end, cancellationToken);
    }
}
