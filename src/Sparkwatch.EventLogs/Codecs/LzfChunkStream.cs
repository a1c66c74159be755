using System.Buffers.Binary;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Reads compress-lzf's <c>LZFOutputStream</c> chunks, which Spark's <c>LZFCompressionCodec</c> writes: <c>"ZV"</c>, a type
/// byte (0 stored, 1 LZF), then for stored chunks a big-endian 16-bit length and the bytes, for LZF chunks the 16-bit
/// compressed and original lengths and the LZF block.
/// </summary>
internal sealed class LzfChunkStream(Stream source, string path, bool allowTruncatedEnd) : BlockStream(source, path, allowTruncatedEnd)
{
    private const byte TypeStored = 0, TypeCompressed = 1;

    private readonly byte[] _header = new byte[7];
    private readonly byte[] _compressed = new byte[ushort.MaxValue];
    private readonly byte[] _decompressed = new byte[ushort.MaxValue];

    protected override bool TryDecodeBlock(out ReadOnlyMemory<byte> block)
    {
        var start = Offset;
        block = default;
        if (!TryReadHeader(_header.AsSpan(0, 5))) return false;
        if (_header[0] != 'Z' || _header[1] != 'V' || _header[2] is not (TypeStored or TypeCompressed))
        {
            throw Corrupt(start, "not a compress-lzf stream (chunk does not start with \"ZV\" and a chunk type)");
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(3));
        if (_header[2] == TypeStored)
        {
            ReadFully(_decompressed.AsSpan(0, length));
            block = _decompressed.AsMemory(0, length);
            return true;
        }
        ReadFully(_header.AsSpan(5, 2));
        var originalLength = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(5));
        ReadFully(_compressed.AsSpan(0, length));
        if (!LzfBlock.TryDecode(_compressed.AsSpan(0, length), _decompressed.AsSpan(0, originalLength)))
        {
            throw Corrupt(start, "corrupt LZF chunk");
        }
        block = _decompressed.AsMemory(0, originalLength);
        return true;
    }
}
