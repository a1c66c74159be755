using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Appending;

/// <summary>What the append rules need to know of a run, read under its row lock.</summary>
/// <param name="RunPk">The run's key.</param>
/// <param name="MaxSeq">Highest stored seq of any message (heartbeats too), <see cref="StoreSentinels.NoSeq"/> when none.</param>
/// <param name="Stream">The run's newest stream.</param>
/// <param name="LastPayloadCount">Messages of the last payload that a client may rebuild under new counters.</param>
/// <param name="LastPayloadHash">The <see cref="MessageHashes.OfPrefix"/> of that payload's messages.</param>
public sealed record RunState(long RunPk, long MaxSeq, long Stream, int LastPayloadCount, long LastPayloadHash);

/// <summary>An event to insert at its stored seq.</summary>
/// <param name="Event">The event.</param>
/// <param name="Seq">Its stored seq (stream folded in).</param>
/// <param name="Hash">Its content hash.</param>
public readonly record struct EventRow(IngestMessage Event, long Seq, long Hash);

/// <summary>A quarantined message to insert at its stored seq.</summary>
/// <param name="Message">The message.</param>
/// <param name="Seq">Its stored seq (stream folded in).</param>
/// <param name="Hash">Its content hash.</param>
public readonly record struct QuarantineRow(QuarantinedMessage Message, long Seq, long Hash);

/// <summary>What one payload changes on its run's row.</summary>
/// <param name="Stored">New events.</param>
/// <param name="Quarantined">New quarantined messages.</param>
/// <param name="MaxSeq">The payload's highest seq, heartbeats included (the row keeps the maximum).</param>
/// <param name="LastSeenAt">The payload's receive time (the row keeps the maximum).</param>
/// <param name="MinGeneratedAt">The payload's earliest event time, or its receive time without events (sorts a run without a start).</param>
/// <param name="UploadComplete">True when the client said the upload is complete (kept once said).</param>
/// <param name="Stream">The stream the payload went to (the row keeps the maximum: its newest).</param>
/// <param name="LastPayload">For clients that rebuild retries under new counters: the payload's message count and hash, else null (unchanged).</param>
public sealed record RunUpdate(int Stored, int Quarantined, long MaxSeq, long LastSeenAt, long MinGeneratedAt, bool UploadComplete, long Stream,
    (int Count, long Hash)? LastPayload);

/// <summary>
/// The few statements an engine runs for <see cref="AppendRules"/>, inside the append's transaction. Engines are thin:
/// every decision (seqs, streams, duplicates, run facts) is taken by the rules.
/// </summary>
public interface IAppendTransaction
{
    /// <summary>Finds or creates the batch's run and locks its row until commit (concurrent writers of one run take turns).</summary>
    Task<RunState> LockRunAsync(IngestBatch batch, CancellationToken cancellationToken);

    /// <summary>Inserts the rows, skipping any whose (run, seq) is stored already; returns the seqs inserted.</summary>
    Task<IReadOnlySet<long>> InsertAsync(long runPk, IReadOnlyList<EventRow> events, IReadOnlyList<QuarantineRow> quarantined, long receivedAt,
        CancellationToken cancellationToken);

    /// <summary>Removes the rows this transaction inserted at <paramref name="seqs"/> (a payload put in the wrong stream).</summary>
    Task DeleteAsync(long runPk, IReadOnlyCollection<long> seqs, CancellationToken cancellationToken);

    /// <summary>The content hash stored at each of <paramref name="seqs"/> that holds a message (null: a row from before hashes were stored).</summary>
    Task<IReadOnlyDictionary<long, long?>> StoredHashesAsync(long runPk, IReadOnlyList<long> seqs, CancellationToken cancellationToken);

    /// <summary>Records an application attempt's start (once per attempt id and start time) and the application's id and name.</summary>
    Task RecordStartAsync(long runPk, string attemptId, long startTime, string? appId, string? appName, CancellationToken cancellationToken);

    /// <summary>Records an application end's time (once per time).</summary>
    Task RecordEndAsync(long runPk, long endTime, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the payload's newly stored events (<paramref name="stored"/>) the run's next position in the accepted stream and
    /// marks the run pending for every registered sink (see <see cref="Accepted.IAcceptedLog"/>). <paramref name="generatedAt"/>
    /// is the range of those events' times: a store without an index by seq reads them back by it.
    /// </summary>
    Task RecordAcceptedAsync(long runPk, IReadOnlyList<EventRow> stored, (long From, long To) generatedAt, long acceptedAt, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="update"/> to the run's row (and the job's last-seen time).</summary>
    Task UpdateRunAsync(long runPk, RunUpdate update, CancellationToken cancellationToken);
}
