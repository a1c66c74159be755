using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Reads lz4-java's <c>LZ4BlockOutputStream</c> framing, which Spark's <c>LZ4CompressionCodec</c> writes: blocks of
/// <c>"LZ4Block"</c>, a token (method in the high nibble: 0x10 stored, 0x20 LZ4; block size 2^(10 + low nibble)),
/// compressed and original lengths and an XXH32 checksum (seed 0x9747b28c, low 28 bits), all little-endian, then the data.
/// A block with both lengths 0 ends a stream; another stream may follow it (Spark reads concatenated streams).
/// </summary>
internal sealed class Lz4BlockStream(Stream source, string path, bool allowTruncatedEnd) : BlockStream(source, path, allowTruncatedEnd)
{
    private const int HeaderLength = 21;
    private const int MethodRaw = 0x10, MethodLz4 = 0x20;
    private const uint ChecksumSeed = 0x9747b28c;
    private static ReadOnlySpan<byte> Magic => "LZ4Block"u8;

    private readonly byte[] _header = new byte[HeaderLength];
    private byte[] _compressed = [];
    private byte[] _decompressed = [];

    protected override bool TryDecodeBlock(out ReadOnlyMemory<byte> block)
    {
        while (true)
        {
            var start = Offset;
            block = default;
            if (!TryReadHeader(_header)) return false;
            if (!_header.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw Corrupt(start, "not an lz4-java LZ4Block stream (block magic missing)");
            var token = _header[8];
            var method = token & 0xF0;
            var maxLength = 1 << (10 + (token & 0x0F));
            var compressedLength = BinaryPrimitives.ReadInt32LittleEndian(_header.AsSpan(9));
            var originalLength = BinaryPrimitives.ReadInt32LittleEndian(_header.AsSpan(13));
            var checksum = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(17));
            if (method is not (MethodRaw or MethodLz4) || originalLength < 0 || originalLength > maxLength || compressedLength < 0
                || (originalLength == 0) != (compressedLength == 0) || (method == MethodRaw && originalLength != compressedLength)
                || compressedLength > LZ4Codec.MaximumOutputSize(maxLength))
            {
                throw Corrupt(start, "invalid LZ4Block header");
            }
            if (originalLength == 0)
            {
                if (checksum != 0) throw Corrupt(start, "invalid LZ4Block end-of-stream marker");
                continue; // end of one stream; a concatenated one may follow
            }

            if (_compressed.Length < compressedLength) _compressed = new byte[Math.Max(compressedLength, 64 * 1024)];
            if (_decompressed.Length < originalLength) _decompressed = new byte[Math.Max(originalLength, 64 * 1024)];
            var input = _compressed.AsSpan(0, compressedLength);
            var output = _decompressed.AsSpan(0, originalLength);
            ReadFully(input);
            if (method == MethodRaw) input.CopyTo(output);
            else if (LZ4Codec.Decode(input, output) != originalLength) throw Corrupt(start, "corrupt LZ4 block");
            if ((XxHash32.HashToUInt32(output, unchecked((int)ChecksumSeed)) & 0x0FFFFFFF) != checksum)
            {
                throw Corrupt(start, "LZ4Block checksum mismatch");
            }
            block = _decompressed.AsMemory(0, originalLength);
            return true;
        }
    }
}
