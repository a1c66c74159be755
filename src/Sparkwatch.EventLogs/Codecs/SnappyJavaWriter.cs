using System.Buffers.Binary;
using Snappier;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Writes snappy-java's <c>SnappyOutputStream</c> framing as Spark's <c>SnappyCompressionCodec</c> does (32 KiB blocks):
/// the 16-byte header (magic, version 1, compatible version 1), then per block a big-endian length and raw Snappy data —
/// the format <see cref="SnappyJavaStream"/> reads.
/// </summary>
internal sealed class SnappyJavaWriter : BlockWriter
{
    private readonly byte[] _compressed = new byte[Snappy.GetMaxCompressedLength(BlockSize)];
    private readonly byte[] _length = new byte[4];

    public SnappyJavaWriter(Stream target, bool leaveOpen) : base(target, leaveOpen)
    {
        Span<byte> header = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1];
        target.Write(header);
    }

    protected override void WriteBlock(ReadOnlySpan<byte> block)
    {
        var length = Snappy.Compress(block, _compressed);
        BinaryPrimitives.WriteInt32BigEndian(_length, length);
        Target.Write(_length);
        Target.Write(_compressed, 0, length);
    }
}
