namespace Sparkwatch.EventLogs.Codecs;

/// <summary>Compresses event log files the way Spark's codecs frame them, so Spark and <see cref="EventLogFiles"/> read them back.</summary>
public static class CodecWriters
{
    /// <summary>The codecs written: Spark's short names, which are also the files' extensions.</summary>
    public static readonly string[] Names = ["zstd", "lz4", "snappy"];

    /// <summary>
    /// A write-only stream compressing into <paramref name="target"/> with <paramref name="codec"/>; disposing it ends the
    /// compressed stream and disposes <paramref name="target"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static Stream Open(string codec, Stream target, bool leaveOpen = false) => codec switch
    {
        "zstd" => new ZstdFrameWriter(target, leaveOpen),
        "lz4" => new Lz4BlockWriter(target, leaveOpen),
        "snappy" => new SnappyJavaWriter(target, leaveOpen),
        _ => throw new ArgumentException($"Unknown codec '{codec}': expected one of {string.Join(", ", Names)}.", nameof(codec)),
    };
}
