using System.Runtime.CompilerServices;
using System.Text.Json;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Archive.Retention;

/// <summary>
/// A run's log as the archive holds it, read back for retention: its lines in archive order (payloads in accepted order,
/// each payload's events in (generated_at, seq) order), part after part, one part in memory at most.
/// </summary>
public sealed class ArchivedRunLog
{
    private readonly IArchiveTarget _target;

    private ArchivedRunLog(IArchiveTarget target, RunKey run, RunArchiveState state)
    {
        _target = target;
        Run = run;
        State = state;
    }

    /// <summary>The run.</summary>
    public RunKey Run { get; }

    /// <summary>The archive's state of the run.</summary>
    public RunArchiveState State { get; }

    /// <summary>Reads the run's archive state; throws <see cref="ArchiveUnreadableException"/> when it cannot be read.</summary>
    public static async Task<ArchivedRunLog> LoadAsync(IArchiveTarget target, RunKey run, CancellationToken cancellationToken)
    {
        var hash = ArchiveNames.RunHash(run);
        var state = await Guard(run, () => RunArchiveState.LoadAsync(target, run, hash, cancellationToken), $"the state ({ArchiveNames.State(hash)})");
        return new ArchivedRunLog(target, run, state);
    }

    /// <summary>
    /// True when the archive finished the run through <paramref name="position"/>: the application ended (the status
    /// marker says complete), no part is open, and every payload up to the position is in a written part.
    /// </summary>
    public bool Holds(long position) => State.Completed && State.Stem is not null && State.Chunks.Count == 0 && State.ArchivedPosition >= position;

    /// <summary>Throws <see cref="ArchiveUnreadableException"/> unless the archive holds payloads through <paramref name="position"/> and every part is there.</summary>
    public async Task CheckAsync(long position, CancellationToken cancellationToken)
    {
        if (!Holds(position))
        {
            throw new ArchiveUnreadableException($"The archive has not finished {Describe(Run)}: it holds payloads up to position {State.ArchivedPosition} in parts " +
                $"(complete: {State.Completed}, open chunks: {State.Chunks.Count}), and position {position} is needed.");
        }
        var present = (await Guard(Run, () => _target.ListAsync(ArchiveNames.Directory(State.Stem!) + "/", cancellationToken), "the folder")).ToHashSet(StringComparer.Ordinal);
        for (var part = 1; part < State.NextPart; part++)
        {
            var key = ArchiveNames.Part(State.Stem!, part, State.Codec);
            if (!present.Contains(key)) throw Missing(key);
        }
    }

    /// <summary>The log's lines (without line ends), parts in order; each is valid until the next is read.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var part = 1; part < State.NextPart; part++)
        {
            var key = ArchiveNames.Part(State.Stem!, part, State.Codec);
            await using var content = await Guard(Run, () => _target.GetAsync(key, cancellationToken), key)
                ?? throw Missing(key);
            await using var decompressed = EventLogFiles.Decompress(content, State.Codec, key);
            using var lines = EventLogLines.Read(decompressed).GetEnumerator();
            while (true)
            {
                bool more;
                try
                {
                    more = lines.MoveNext();
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    throw new ArchiveUnreadableException($"Part {key} of {Describe(Run)} is corrupt: {e.Message}", e);
                }
                if (!more) break;
                yield return lines.Current;
            }
        }
    }

    /// <summary>Runs a call to the target; whatever fails (the target unreachable, access denied) is the archive being unreadable.</summary>
    private static async Task<T> Guard<T>(RunKey run, Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not OperationCanceledException and not ArchiveUnreadableException)
        {
            throw new ArchiveUnreadableException($"Reading {what} of {Describe(run)} from the archive failed: {e.Message}", e);
        }
    }

    private ArchiveUnreadableException Missing(string part) => new($"Part {part} of {Describe(Run)} is missing from the archive.");

    private static string Describe(RunKey run) => $"run '{run.RunId}' of job '{run.JobName}'";

    /// <summary>The <c>Event</c> field of an event line (top level), or null.</summary>
    public static string? EventType(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 1024 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEvent = reader.ValueTextEquals("Event"u8);
                reader.Read();
                if (isEvent) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: not an event of any type.
        }
        return null;
    }
}
