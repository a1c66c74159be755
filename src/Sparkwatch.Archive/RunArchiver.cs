using System.Collections.Concurrent;
using System.Text.Json;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs.Codecs;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Archive;

/// <summary>
/// Writes runs' accepted events into the archive as Spark rolling event logs (docs/archive.md). Idempotent: a run's events
/// are keyed by their accepted position, and everything up to the position its state holds is skipped, so events applied
/// again after a crash change nothing. New events go to the open part as a chunk object per apply; the open part is
/// written as a whole part (compressed in a temporary file under <paramref name="spoolDirectory"/>) when it would pass
/// <see cref="ArchiveOptions.MaxPartBytes"/>, when it is <see cref="ArchiveOptions.RollInterval"/> old, and when the
/// application ends, which also marks the log complete.
/// </summary>
public sealed class RunArchiver(IArchiveTarget target, ArchiveOptions options, string spoolDirectory, TimeProvider time)
{
    private const string ApplicationStart = "SparkListenerApplicationStart", ApplicationEnd = "SparkListenerApplicationEnd";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunKey> _open = new(StringComparer.Ordinal);
    private readonly string? _codec = options.Codec is "none" or "" ? null : options.Codec;

    /// <summary>Archives <paramref name="events"/> of <paramref name="run"/>, in accepted order (whole payloads).</summary>
    public async Task ApplyAsync(RunKey run, IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken)
    {
        var hash = ArchiveNames.RunHash(run);
        var gate = _locks.GetOrAdd(hash, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = await RunArchiveState.LoadAsync(target, run, hash, cancellationToken);
            var skipUpTo = state.OpenPosition;
            var pending = new Pending();
            var ended = false;
            foreach (var payload in Payloads(events))
            {
                ended |= payload.Any(e => e.EventType == ApplicationEnd);
                if (payload[0].Position <= skipUpTo) continue;
                if (state.AppId is null && payload.FirstOrDefault(e => e.EventType == ApplicationStart) is { } start) ReadApplication(state, start);
                var bytes = payload.Sum(e => e.Json.Length + 1L);
                var open = state.OpenBytes + pending.Bytes;
                if (open > 0 && open + bytes > options.MaxPartBytes)
                {
                    await RollAsync(state, hash, pending, cancellationToken);
                    pending = new Pending();
                }
                pending.Add(payload);
            }
            if (pending.Bytes > 0)
            {
                await WriteChunkAsync(state, hash, pending, cancellationToken);
                _open[hash] = run;
            }
            if (ended && !state.Completed)
            {
                if (state.Chunks.Count > 0) await RollAsync(state, hash, new Pending(), cancellationToken);
                await CompleteAsync(state, hash, cancellationToken);
            }
            else if (IsDue(state))
            {
                await RollAsync(state, hash, new Pending(), cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes the open part of every run this archiver left one open that is <see cref="ArchiveOptions.RollInterval"/> old (bounded lag).</summary>
    public async Task RollDueAsync(CancellationToken cancellationToken)
    {
        foreach (var (hash, run) in _open)
        {
            var gate = _locks.GetOrAdd(hash, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                var state = await RunArchiveState.LoadAsync(target, run, hash, cancellationToken);
                if (IsDue(state)) await RollAsync(state, hash, new Pending(), cancellationToken);
                if (state.Chunks.Count == 0) _open.TryRemove(hash, out _);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>Reopens the runs whose open parts an earlier process left (their time roll is this process's now).</summary>
    public async Task ResumeAsync(IEnumerable<RunKey> runs, CancellationToken cancellationToken)
    {
        foreach (var run in runs)
        {
            var hash = ArchiveNames.RunHash(run);
            var state = await RunArchiveState.LoadAsync(target, run, hash, cancellationToken);
            if (state.Chunks.Count > 0) _open[hash] = run;
        }
    }

    /// <summary>The runs with an open part in the archive, as their states name them (only runs with chunks are read).</summary>
    public async Task<IReadOnlyList<RunKey>> OpenRunsAsync(CancellationToken cancellationToken)
    {
        var hashes = (await target.ListAsync(ArchiveNames.StateFolder, cancellationToken))
            .Select(key => key[ArchiveNames.StateFolder.Length..]).Where(rest => rest.Contains('/'))
            .Select(rest => rest[..rest.IndexOf('/')]).Distinct(StringComparer.Ordinal);
        var runs = new List<RunKey>();
        foreach (var hash in hashes)
        {
            var state = await RunArchiveState.LoadAsync(target, new RunKey("", ""), hash, cancellationToken);
            if (state.Chunks.Count > 0) runs.Add(new RunKey(state.JobName, state.RunId));
        }
        return runs;
    }

    private bool IsDue(RunArchiveState state) =>
        state.OpenSince is { } since && time.GetUtcNow().ToUnixTimeMilliseconds() - since >= (long)options.RollInterval.TotalMilliseconds;

    private async Task WriteChunkAsync(RunArchiveState state, string hash, Pending pending, CancellationToken cancellationToken)
    {
        var chunk = new ArchiveChunk(ArchiveNames.Chunk(hash, pending.FirstPosition, pending.LastPosition), pending.FirstPosition, pending.LastPosition, pending.Bytes);
        pending.Lines.Position = 0;
        await target.PutAsync(chunk.Key, pending.Lines, cancellationToken);
        state.Chunks.Add(chunk);
        state.OpenSince ??= time.GetUtcNow().ToUnixTimeMilliseconds();
        await state.SaveAsync(target, hash, cancellationToken);
    }

    /// <summary>Writes the open part (its chunks, then <paramref name="pending"/>) as the next part, then drops its chunks.</summary>
    private async Task RollAsync(RunArchiveState state, string hash, Pending pending, CancellationToken cancellationToken)
    {
        if (state.Stem is null)
        {
            state.Stem = ArchiveNames.Stem(new RunKey(state.JobName, state.RunId), state.AppId, state.AttemptId);
            state.Codec = _codec;
            // As Spark does: the folder gets its in-progress marker before its first part.
            await target.PutAsync(ArchiveNames.Status(state.Stem, inProgress: true), new MemoryStream(), cancellationToken);
        }
        Directory.CreateDirectory(spoolDirectory);
        var spool = Path.Combine(spoolDirectory, $"{hash}.{Guid.NewGuid():N}.part");
        try
        {
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            // A plain part (codec none) is the lines themselves.
            await using (var compressed = state.Codec is null ? null : CodecWriters.Open(state.Codec, file, leaveOpen: true))
            {
                var output = compressed ?? (Stream)file;
                foreach (var chunk in state.Chunks)
                {
                    await using var content = await target.GetAsync(chunk.Key, cancellationToken)
                        ?? throw new InvalidDataException($"Chunk {chunk.Key} of the open part of {state.JobName}/{state.RunId} is missing from the archive.");
                    await content.CopyToAsync(output, cancellationToken);
                }
                pending.Lines.Position = 0;
                await pending.Lines.CopyToAsync(output, cancellationToken);
            }
            await target.PutAsync(ArchiveNames.Part(state.Stem, state.NextPart, state.Codec), file, cancellationToken);
        }
        finally
        {
            File.Delete(spool);
        }
        state.NextPart++;
        state.ArchivedPosition = Math.Max(state.OpenPosition, pending.LastPosition);
        state.Chunks.Clear();
        state.OpenSince = null;
        await state.SaveAsync(target, hash, cancellationToken);
        // Chunks a crash left behind (written, but never in the state) go too.
        foreach (var key in await target.ListAsync(ArchiveNames.ChunkPrefix(hash), cancellationToken)) await target.DeleteAsync(key, cancellationToken);
    }

    private async Task CompleteAsync(RunArchiveState state, string hash, CancellationToken cancellationToken)
    {
        if (state.Stem is not null)
        {
            await target.PutAsync(ArchiveNames.Status(state.Stem, inProgress: false), new MemoryStream(), cancellationToken);
            await target.DeleteAsync(ArchiveNames.Status(state.Stem, inProgress: true), cancellationToken);
        }
        state.Completed = true;
        await state.SaveAsync(target, hash, cancellationToken);
    }

    private static void ReadApplication(RunArchiveState state, AcceptedEvent start)
    {
        try
        {
            using var document = JsonDocument.Parse(start.Json);
            if (document.RootElement.TryGetProperty("App ID", out var appId) && appId.ValueKind == JsonValueKind.String) state.AppId = appId.GetString();
            if (document.RootElement.TryGetProperty("App Attempt ID", out var attempt) && attempt.ValueKind == JsonValueKind.String) state.AttemptId = attempt.GetString();
        }
        catch (JsonException)
        {
            // Stored events are valid JSON; should one not be, the run is named by its job and id.
        }
    }

    /// <summary>The events cut into payloads (runs of one position).</summary>
    private static IEnumerable<List<AcceptedEvent>> Payloads(IReadOnlyList<AcceptedEvent> events)
    {
        var payload = new List<AcceptedEvent>();
        foreach (var e in events)
        {
            if (payload.Count > 0 && payload[0].Position != e.Position)
            {
                yield return payload;
                payload = [];
            }
            payload.Add(e);
        }
        if (payload.Count > 0) yield return payload;
    }

    /// <summary>Payloads not in the archive yet, as event log lines.</summary>
    private sealed class Pending
    {
        public MemoryStream Lines { get; } = new();
        public long Bytes => Lines.Length;
        public long FirstPosition { get; private set; }
        public long LastPosition { get; private set; }

        /// <remarks>The stream's own doubling sizes it: a capacity set to the exact length for each payload would copy
        /// the whole pending part once per payload of an apply.</remarks>
        public void Add(List<AcceptedEvent> payload)
        {
            if (Lines.Length == 0) FirstPosition = payload[0].Position;
            LastPosition = payload[0].Position;
            foreach (var e in payload)
            {
                Lines.Write(e.Json);
                Lines.WriteByte((byte)'\n');
            }
        }
    }
}
