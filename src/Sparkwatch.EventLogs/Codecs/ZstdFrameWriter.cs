using ZstdSharp;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Writes one standard Zstandard frame at level 1, Spark's <c>spark.io.compression.zstd.level</c> default, as zstd-jni's
/// <c>ZstdOutputStream</c> (Spark's <c>ZStdCompressionCodec</c>) does: the format <see cref="ZstdFrameStream"/> reads.
/// </summary>
internal sealed class ZstdFrameWriter(Stream target, bool leaveOpen) : BlockWriter(target, leaveOpen)
{
    private readonly CompressionStream _zstd = new(target, level: 1, leaveOpen: true);

    protected override void WriteBlock(ReadOnlySpan<byte> block) => _zstd.Write(block);

    protected override void WriteEnd() => _zstd.Dispose();
}
