using System.Runtime.CompilerServices;
using Sparkwatch.Archive.Retention;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage;
using Sparkwatch.Storage.Retention;

namespace Sparkwatch.Retention;

/// <summary>
/// Every reader of a run's event bytes (<c>/events</c>, <c>/api/v1/.../logs</c>) goes through here: events still in the store
/// come from it, events retention dropped come from the run's archived log, in the same (generated_at, seq) order,
/// byte for byte.
/// </summary>
public sealed class RunEventReader(IEventStore store, IArchiveTarget archive, ILogger<RunEventReader> logger)
{
    /// <summary>Most bytes of archived lines kept aside while reordering them (<see cref="ArchivedLineCursor"/>).</summary>
    public const long MaxReorderBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Problem null when the run's events can be read, with the archived log checked when the store dropped some (hand it
    /// to <see cref="ReadAsync"/>); else why the archive cannot give the events the store dropped (logged as an error).
    /// </summary>
    public async Task<(ArchivedRunLog? Log, string? Problem)> CheckAsync(RunKey run, CancellationToken cancellationToken)
    {
        if (store is not IHotEventRetention retention || await retention.RetainedAsync(run, cancellationToken) is not { Position: > 0 } retained) return (null, null);
        try
        {
            var log = await ArchivedRunLog.LoadAsync(archive, run, cancellationToken);
            await log.CheckAsync(retained.Position, cancellationToken);
            return (log, null);
        }
        catch (ArchiveUnreadableException e)
        {
            logger.LogError(e, "The events of {Job}/{Run} retention moved to the archive cannot be read: {Reason}", run.JobName, run.RunId, e.Message);
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The run's events sorted by (generated_at, seq), optionally only the given types; each item is valid until the next.
    /// Archived events are read through <paramref name="log"/> (from <see cref="CheckAsync"/>), loaded here when null.
    /// </summary>
    /// <exception cref="ArchiveUnreadableException">An archived event cannot be read (logged as an error).</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(RunKey run, ArchivedRunLog? log, IReadOnlyCollection<string>? eventTypes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (store is not IHotEventRetention retention)
        {
            await foreach (var json in store.ReadEventsAsync(run, eventTypes, cancellationToken)) yield return json;
            yield break;
        }
        ArchivedLineCursor? archived = null;
        try
        {
            await foreach (var line in retention.ReadEventLinesAsync(run, eventTypes, cancellationToken))
            {
                if (line.ArchiveLine == 0)
                {
                    yield return line.Json;
                    continue;
                }
                archived ??= Cursor(log ?? await Logged(run, () => ArchivedRunLog.LoadAsync(archive, run, cancellationToken)), eventTypes);
                yield return await LineAsync(archived, run, line.ArchiveLine, cancellationToken);
            }
        }
        finally
        {
            if (archived is not null) await archived.DisposeAsync();
        }
    }

    private static ArchivedLineCursor Cursor(ArchivedRunLog log, IReadOnlyCollection<string>? eventTypes)
    {
        var run = log.Run;
        var types = eventTypes is { Count: > 0 } ? eventTypes.ToHashSet(StringComparer.Ordinal) : null;
        return new ArchivedLineCursor(log.ReadLinesAsync, line => types is null || (ArchivedRunLog.EventType(line.Span) is { } type && types.Contains(type)),
            MaxReorderBytes, $"The archived log of run '{run.RunId}' of job '{run.JobName}'");
    }

    private Task<ReadOnlyMemory<byte>> LineAsync(ArchivedLineCursor archived, RunKey run, long number, CancellationToken cancellationToken) =>
        Logged(run, () => archived.LineAsync(number, cancellationToken).AsTask());

    private async Task<T> Logged<T>(RunKey run, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (ArchiveUnreadableException e)
        {
            logger.LogError(e, "Serving the events of {Job}/{Run} from the archive failed: {Reason}", run.JobName, run.RunId, e.Message);
            throw;
        }
    }
}
