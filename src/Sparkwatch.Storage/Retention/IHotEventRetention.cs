using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Retention;

/// <summary>
/// Retention of hot events (docs/archive.md, "Retention"): once the archive holds a completed run, the store drops its
/// events' bytes and keeps, per event, its row (seq, generated_at, type) and its line in the archive, so <c>/events</c>
/// keeps its order and filters and reads the bytes from the archive. Run facts, the model and the search index stay.
/// </summary>
public interface IHotEventRetention
{
    /// <summary>
    /// Completed runs (an application end stored) silent since before <paramref name="lastSeenBefore"/> (epoch ms) with
    /// accepted payloads whose bytes are still hot, and that every registered sink has applied, <paramref name="archiveSink"/>
    /// included (a sink registered but not running holds retention back: it would never see the dropped bytes). Sorted
    /// by (last seen, run key), starting after <paramref name="after"/> (a page's last candidate).
    /// </summary>
    Task<IReadOnlyList<RetentionCandidate>> RetentionCandidatesAsync(string archiveSink, long lastSeenBefore, RetentionCandidate? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the bytes of the run's events accepted in positions after <see cref="RetentionCandidate.RetainedPosition"/>
    /// up to <paramref name="throughPosition"/>, numbering them as the archive holds them: line
    /// <see cref="RetentionCandidate.RetainedLines"/> + 1 on, positions in order, each position in (generated_at, seq) order.
    /// Commits in pieces (never holding the store's writer long); idempotent. Returns the events dropped.
    /// </summary>
    Task<long> DropEventBytesAsync(RetentionCandidate run, long throughPosition, CancellationToken cancellationToken = default);

    /// <summary>How far the run's events are retained (0 when none are); null when the run is unknown.</summary>
    Task<RetainedRun?> RetainedAsync(RunKey run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the run's events sorted by (generated_at, seq), optionally only the given types, each with its archive line
    /// when its bytes were dropped (then its JSON is empty). Each item's memory is valid until the enumerator moves on.
    /// </summary>
    IAsyncEnumerable<StoredEventLine> ReadEventLinesAsync(RunKey run, IReadOnlyCollection<string>? eventTypes = null, CancellationToken cancellationToken = default);
}

/// <summary>A run whose hot events may be dropped.</summary>
/// <param name="RunPk">Its key in the store.</param>
/// <param name="Run">Its job and id.</param>
/// <param name="AcceptedPosition">Its latest accepted position (every registered sink has applied it).</param>
/// <param name="RetainedPosition">Payloads up to this position are dropped already.</param>
/// <param name="RetainedLines">How many archive lines those payloads are.</param>
/// <param name="LastSeenAt">Server time (epoch ms) of its latest payload.</param>
public sealed record RetentionCandidate(long RunPk, RunKey Run, long AcceptedPosition, long RetainedPosition, long RetainedLines, long LastSeenAt);

/// <summary>How far a run's events are retained.</summary>
/// <param name="Position">Payloads up to this position have their bytes in the archive only (0: none).</param>
/// <param name="Lines">How many archive lines those payloads are.</param>
public sealed record RetainedRun(long Position, long Lines);

/// <summary>One stored event as <c>/events</c> orders it.</summary>
/// <param name="ArchiveLine">Its line (from 1) in the run's archived log when its bytes were dropped; 0 when they are in the store.</param>
/// <param name="Json">Its JSON; empty when <paramref name="ArchiveLine"/> is set.</param>
public readonly record struct StoredEventLine(long ArchiveLine, ReadOnlyMemory<byte> Json);
