using Sparkwatch.EventLogs.Codecs;
using static Sparkwatch.EventLogs.EventLogNames;

namespace Sparkwatch.EventLogs;

/// <summary>
/// Finds event logs on disk in every layout Spark writes and opens them decompressed: single files
/// <c>&lt;appId&gt;[_&lt;attempt&gt;][.codec][.inprogress]</c>, rolling logs <c>eventlog_v2_&lt;appId&gt;/events_&lt;N&gt;_&lt;appId&gt;[.codec]</c>
/// with their <c>appstatus</c> file, and the Spark 1.0–1.2 directory form <c>&lt;appId&gt;/EVENT_LOG_1</c>.
/// </summary>
public static class EventLogFiles
{
    /// <summary>
    /// The event logs at <paramref name="path"/>: a single log file, a rolling or legacy log directory, or a folder
    /// holding any of them (not recursive; hidden files and <c>.crc</c> files are skipped), in name order.
    /// </summary>
    public static IReadOnlyList<EventLog> Discover(string path)
    {
        if (File.Exists(path)) return [FromFile(path)];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"No event log or folder at {path}.", path);
        if (FromDirectory(path) is { } log) return [log];
        var logs = new List<EventLog>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith('.') || name.EndsWith(".crc", StringComparison.Ordinal)) continue;
            if (File.Exists(entry)) logs.Add(FromFile(entry));
            else if (FromDirectory(entry) is { } directoryLog) logs.Add(directoryLog);
        }
        return logs;
    }

    /// <summary>
    /// Opens one file of a log, decompressed according to its codec extension (for a legacy <c>EVENT_LOG_N</c>, its
    /// <c>COMPRESSION_CODEC_…</c> sibling). A file whose name ends in <c>.inprogress</c> may end inside a compressed block.
    /// </summary>
    public static Stream OpenDecompressed(string path) => OpenDecompressed(path, Path.GetFileName(path).EndsWith(InProgressSuffix, StringComparison.Ordinal));

    /// <summary>
    /// Opens one file of a log, decompressed. With <paramref name="allowTruncatedEnd"/> (a file still being written) a last
    /// incomplete block ends the stream quietly; otherwise it is an <see cref="EventLogFormatException"/>.
    /// </summary>
    public static Stream OpenDecompressed(string path, bool allowTruncatedEnd)
    {
        var file = new FileStream(path, new FileStreamOptions { Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 64 * 1024 });
        return Decompress(file, CodecOf(path), path, allowTruncatedEnd);
    }

    /// <summary>
    /// <paramref name="source"/> decompressed with Spark's <paramref name="codec"/> (<c>lz4</c>, <c>lzf</c>, <c>snappy</c>,
    /// <c>zstd</c>; anything else: as it is). <paramref name="name"/> names the source in errors.
    /// </summary>
    public static Stream Decompress(Stream source, string? codec, string name, bool allowTruncatedEnd = false) => codec switch
    {
        "lz4" => new Lz4BlockStream(source, name, allowTruncatedEnd),
        "lzf" => new LzfChunkStream(source, name, allowTruncatedEnd),
        "snappy" => new SnappyJavaStream(source, name, allowTruncatedEnd),
        "zstd" => new ZstdFrameStream(source, name, allowTruncatedEnd),
        _ => source,
    };

    /// <summary>
    /// The event lines of a whole log, parts in order, each valid until the next is read. A log still being written
    /// stops before its last line when that line is not finished yet.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> ReadLines(EventLog log)
    {
        for (var i = 0; i < log.Parts.Count; i++)
        {
            var growing = log.InProgress && i == log.Parts.Count - 1;
            using var stream = OpenDecompressed(log.Parts[i], growing);
            foreach (var line in EventLogLines.Read(stream, includeUnterminatedTail: !growing)) yield return line;
        }
    }

    private static string? CodecOf(string path)
    {
        var name = Path.GetFileName(path);
        if (!name.StartsWith(LegacyLogPrefix, StringComparison.Ordinal)) return Parse(name).Codec;
        var marker = Directory.EnumerateFiles(Path.GetDirectoryName(path) ?? ".", LegacyCodecPrefix + "*").FirstOrDefault();
        if (marker is null) return null;
        // Spark 1.x wrote the codec's short name or its class name (e.g. org.apache.spark.io.LZFCompressionCodec).
        var codec = Path.GetFileName(marker)[LegacyCodecPrefix.Length..].ToLowerInvariant();
        return CodecNames.FirstOrDefault(c => codec.Contains(c, StringComparison.Ordinal))
            ?? throw new EventLogFormatException(path, 0, $"unknown compression codec '{codec}'");
    }

    private static EventLog FromFile(string path)
    {
        var (stem, _, inProgress, _) = Parse(Path.GetFileName(path));
        var (appId, attemptId) = SplitAttempt(stem);
        return new EventLog(stem, appId, attemptId, [path], inProgress);
    }

    private static EventLog? FromDirectory(string path)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        if (name.StartsWith(RollingDirectoryPrefix, StringComparison.Ordinal)) return FromRollingDirectory(path, name);
        var legacyParts = Directory.EnumerateFiles(path, LegacyLogPrefix + "*")
            .Select(p => (Path: p, Index: long.TryParse(Path.GetFileName(p)[LegacyLogPrefix.Length..], out var n) ? n : -1))
            .Where(p => p.Index >= 0).OrderBy(p => p.Index).Select(p => p.Path).ToArray();
        if (legacyParts.Length == 0) return null;
        // Only Spark 1.0-1.2 wrote this form, so no such log is still being written.
        var (appId, attemptId) = SplitAttempt(name);
        return new EventLog(name, appId, attemptId, legacyParts, InProgress: false);
    }

    private static EventLog FromRollingDirectory(string path, string name)
    {
        var stem = name[RollingDirectoryPrefix.Length..];
        var parts = Directory.EnumerateFiles(path)
            .Select(p => (Path: p, Index: RollingIndex(Path.GetFileName(p)), Parse(Path.GetFileName(p)).Compacted))
            .Where(p => p.Index is not null)
            .ToArray();
        // A compacted part replaces every part up to its index (Spark's event log compaction).
        var compactedUpTo = parts.Where(p => p.Compacted).Select(p => p.Index).Max() ?? long.MinValue;
        var ordered = parts
            .Where(p => p.Index > compactedUpTo || (p.Index == compactedUpTo && p.Compacted))
            .OrderBy(p => p.Index).Select(p => p.Path).ToArray();
        var complete = File.Exists(Path.Combine(path, RollingStatusPrefix + stem));
        var (appId, attemptId) = SplitAttempt(stem);
        return new EventLog(name, appId, attemptId, ordered, InProgress: !complete);
    }
}
