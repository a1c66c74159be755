using System.Text.Json;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Archive;

/// <summary>
/// What the archive has of one run, kept beside it in the target (<c>.sparkwatch/runs/&lt;hash&gt;.json</c>) so any sink process
/// can carry on: payloads up to <see cref="ArchivedPosition"/> are in parts, those after it up to the last chunk's are in
/// the open part's chunks. Every position after <see cref="OpenPosition"/> is new; everything up to it came before and is skipped.
/// </summary>
public sealed class RunArchiveState
{
    /// <summary>The run's job name.</summary>
    public string JobName { get; set; } = "";

    /// <summary>The run's id.</summary>
    public string RunId { get; set; } = "";

    /// <summary>The application id of its <c>SparkListenerApplicationStart</c>, once seen.</summary>
    public string? AppId { get; set; }

    /// <summary>The application attempt id of its <c>SparkListenerApplicationStart</c>, once seen.</summary>
    public string? AttemptId { get; set; }

    /// <summary>The log's stem (<see cref="ArchiveNames.Stem"/>), fixed when its first part is written.</summary>
    public string? Stem { get; set; }

    /// <summary>The parts' codec, fixed when the first part is written (Spark reads every part with the first part's codec); null: plain.</summary>
    public string? Codec { get; set; }

    /// <summary>The index of the next part.</summary>
    public int NextPart { get; set; } = 1;

    /// <summary>Every payload up to this position is in a part.</summary>
    public long ArchivedPosition { get; set; }

    /// <summary>The open part's chunks, in order.</summary>
    public List<ArchiveChunk> Chunks { get; set; } = [];

    /// <summary>When the open part's first chunk was written (epoch ms); null when no part is open.</summary>
    public long? OpenSince { get; set; }

    /// <summary>The application ended: the status marker says complete.</summary>
    public bool Completed { get; set; }

    /// <summary>The last payload position the archive holds (in a part or a chunk).</summary>
    public long OpenPosition => Chunks.Count > 0 ? Chunks[^1].LastPosition : ArchivedPosition;

    /// <summary>Uncompressed bytes in the open part.</summary>
    public long OpenBytes => Chunks.Sum(c => c.Bytes);

    /// <summary>Reads the run's state from the target; a fresh state when there is none.</summary>
    public static async Task<RunArchiveState> LoadAsync(IArchiveTarget target, RunKey run, string runHash, CancellationToken cancellationToken)
    {
        await using var stream = await target.GetAsync(ArchiveNames.State(runHash), cancellationToken);
        if (stream is null) return new RunArchiveState { JobName = run.JobName, RunId = run.RunId };
        return await JsonSerializer.DeserializeAsync<RunArchiveState>(stream, JsonOptions, cancellationToken)
            ?? throw new InvalidDataException($"The archive state of {run} is empty.");
    }

    /// <summary>Writes the state to the target.</summary>
    public Task SaveAsync(IArchiveTarget target, string runHash, CancellationToken cancellationToken) =>
        target.PutAsync(ArchiveNames.State(runHash), new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions)), cancellationToken);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>One chunk of an open part: the events of payloads <paramref name="FirstPosition"/> to <paramref name="LastPosition"/>, one JSON per line.</summary>
/// <param name="Key">Its object key.</param>
/// <param name="FirstPosition">Its first payload's position.</param>
/// <param name="LastPosition">Its last payload's position.</param>
/// <param name="Bytes">Its size.</param>
public sealed record ArchiveChunk(string Key, long FirstPosition, long LastPosition, long Bytes);
