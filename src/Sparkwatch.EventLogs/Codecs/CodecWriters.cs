namespace Sparkwatch.EventLogs.Codecs;

/// <summary>Compresses event log files the way Spark's codecs frame them, so Spark and <see cref="EventLogFiles"/> read them back.</summary>
public static class CodecWriters
{
    /// <summary>The codecs written: Spark's short names, which are also the files' extensions.</summary>
    public static readonly string[] Names = ["zstd", "lz4", "snappy"];

    /// <summary>
    /// A write-only stream compressing into <paramref name="target"/> with <paramref name="codec"/> (<c>null</c>: plain);
    /// disposing it ends the compressed stream and disposes <paramref name="target"/>.
    /// </summary>
    public static Stream Open(string? codec, Stream target) => codec switch
    {
        null => target,
        "zstd" => new ZstdFrameWriter(target),
        "lz4" => new Lz4BlockWriter(target),
        "snappy" => new SnappyJavaWriter(target),
        _ => throw new ArgumentException($"Unknown codec '{codec}': expected one of {string.Join(", ", Names)}.", nameof(codec)),
    };
}
