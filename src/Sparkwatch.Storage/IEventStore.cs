using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Runs;

namespace Sparkwatch.Storage;

/// <summary>
/// The seam between Sparkwatch and its storage engines: append decoded batches, read a run's events in order,
/// read run facts, list jobs and runs. Every implementation passes the same contract tests.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema; safe to call from several processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the batches in one durable transaction: each message once per (run, seq); run facts updated in the same
    /// transaction. Returns, per batch, what was new.
    /// </summary>
    Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken = default);

    /// <summary>
    /// Does the part of <see cref="AppendAsync"/> that needs no transaction (e.g. compressing each event) on the caller's
    /// thread, so that the single writer only inserts; optional, <see cref="AppendAsync"/> does whatever was not done.
    /// </summary>
    void PrepareAppend(IngestBatch batch)
    {
    }

    /// <summary>
    /// Streams a run's events sorted by (generated_at, seq), optionally only the given event types. Each item's
    /// memory is valid until the enumerator moves on.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadEventsAsync(RunKey run, IReadOnlyCollection<string>? eventTypes = null, CancellationToken cancellationToken = default);

    /// <summary>The run's facts, or <c>null</c> when the run is unknown.</summary>
    Task<RunFacts?> GetRunAsync(RunKey run, CancellationToken cancellationToken = default);

    /// <summary>Jobs sorted by name (ordinal), starting after <paramref name="afterJobName"/>.</summary>
    Task<IReadOnlyList<JobSummary>> ListJobsAsync(string? afterJobName, int limit, CancellationToken cancellationToken = default);

    /// <summary>The job's runs, newest first, starting after <paramref name="after"/>; <c>null</c> when the job is unknown.</summary>
    Task<IReadOnlyList<RunFacts>?> ListRunsAsync(string jobName, RunCursor? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>The run's quarantined messages in seq order, starting after <paramref name="afterSeq"/>.</summary>
    Task<IReadOnlyList<StoredQuarantinedMessage>> ListQuarantineAsync(RunKey run, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot be read.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken = default);
}

/// <summary>What one batch added to the store.</summary>
/// <param name="EventsStored">New events (duplicates of stored ones excluded).</param>
/// <param name="Duplicates">Events and quarantined messages already stored for their seq.</param>
/// <param name="Quarantined">New quarantined messages.</param>
public sealed record AppendResult(int EventsStored, int Duplicates, int Quarantined);

/// <summary>A job and its activity.</summary>
/// <param name="JobName">The job.</param>
/// <param name="RunCount">How many runs it has.</param>
/// <param name="LastSeenAt">Server time (epoch ms) of its latest payload.</param>
public sealed record JobSummary(string JobName, long RunCount, long LastSeenAt);

/// <summary>Position in a job's run list (newest first): the sort time and run id of the last run returned.</summary>
/// <param name="SortTime">The run's sort time.</param>
/// <param name="RunId">The run id.</param>
public sealed record RunCursor(long SortTime, string RunId);

/// <summary>A quarantined message as stored.</summary>
/// <param name="Seq">Run-wide sequence number.</param>
/// <param name="GeneratedAt">Client time (epoch ms).</param>
/// <param name="ReceivedAt">Server time (epoch ms).</param>
/// <param name="Reason">Why it was kept aside.</param>
/// <param name="Content">The content as received.</param>
public sealed record StoredQuarantinedMessage(long Seq, long GeneratedAt, long ReceivedAt, string Reason, byte[] Content);
