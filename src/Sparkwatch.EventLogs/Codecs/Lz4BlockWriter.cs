using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Writes lz4-java's <c>LZ4BlockOutputStream</c> framing as Spark's <c>LZ4CompressionCodec</c> does (32 KiB blocks, fast
/// compressor, XXH32 checksums): the format <see cref="Lz4BlockStream"/> reads, ended by the empty end-of-stream block.
/// A block that does not shrink is stored raw, as lz4-java does.
/// </summary>
internal sealed class Lz4BlockWriter(Stream target, bool leaveOpen) : BlockWriter(target, leaveOpen)
{
    private const int HeaderLength = 21;
    private const byte MethodRaw = 0x10, MethodLz4 = 0x20;
    private const uint ChecksumSeed = 0x9747b28c;

    /// <summary>The token's low nibble: log2(32 KiB) − 10.</summary>
    private const byte SizeBits = 5;

    private readonly byte[] _frame = new byte[HeaderLength + LZ4Codec.MaximumOutputSize(BlockSize)];

    protected override void WriteBlock(ReadOnlySpan<byte> block)
    {
        var body = _frame.AsSpan(HeaderLength);
        var compressed = LZ4Codec.Encode(block, body, LZ4Level.L00_FAST);
        var method = MethodLz4;
        if (compressed <= 0 || compressed >= block.Length)
        {
            block.CopyTo(body);
            compressed = block.Length;
            method = MethodRaw;
        }
        var checksum = XxHash32.HashToUInt32(block, unchecked((int)ChecksumSeed)) & 0x0FFFFFFF;
        WriteHeader(_frame, (byte)(method | SizeBits), compressed, block.Length, checksum);
        Target.Write(_frame, 0, HeaderLength + compressed);
    }

    protected override void WriteEnd()
    {
        WriteHeader(_frame, MethodRaw | SizeBits, 0, 0, 0);
        Target.Write(_frame, 0, HeaderLength);
    }

    private static void WriteHeader(Span<byte> header, byte token, int compressedLength, int originalLength, uint checksum)
    {
        "LZ4Block"u8.CopyTo(header);
        header[8] = token;
        BinaryPrimitives.WriteInt32LittleEndian(header[9..], compressedLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[13..], originalLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[17..], checksum);
    }
}
