using System.Buffers.Binary;
using Snappier;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Reads snappy-java's <c>SnappyOutputStream</c> framing, which Spark's <c>SnappyCompressionCodec</c> writes (not the
/// Snappy "framing format"): a 16-byte header (magic <c>0x82 "SNAPPY" 0x00</c>, version and compatible version as
/// big-endian ints), then blocks of a big-endian length and raw Snappy data. A header may appear again where a block
/// length is expected: snappy-java reads concatenated streams.
/// </summary>
internal sealed class SnappyJavaStream(Stream source, string path, bool allowTruncatedEnd) : BlockStream(source, path, allowTruncatedEnd)
{
    private const int HeaderLength = 16;

    /// <summary>
    /// Largest block accepted, compressed or not: far beyond any <c>spark.io.compression.snappy.blockSize</c> Spark is
    /// run with (default 32 KiB), so a corrupt length is an error instead of a huge allocation.
    /// </summary>
    private const int MaxBlockBytes = 64 << 20;

    /// <summary>Snappy's densest copy element (3 bytes) yields 64 bytes, so no block inflates by more than this.</summary>
    private const int MaxExpansion = 22;
    private static ReadOnlySpan<byte> Magic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private readonly byte[] _header = new byte[HeaderLength];
    private bool _headerRead;
    private byte[] _compressed = [];
    private byte[] _decompressed = [];

    protected override bool TryDecodeBlock(out ReadOnlyMemory<byte> block)
    {
        block = default;
        if (!_headerRead)
        {
            if (!TryReadHeader(_header)) return false;
            CheckHeader(_header, 0);
            _headerRead = true;
        }
        while (true)
        {
            var start = Offset;
            if (!TryReadHeader(_header.AsSpan(0, 4))) return false;
            if (_header.AsSpan(0, 4).SequenceEqual(Magic[..4]))
            {
                ReadFully(_header.AsSpan(4, HeaderLength - 4));
                CheckHeader(_header, start);
                continue;
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(_header);
            if (length <= 0 || length > MaxBlockBytes) throw Corrupt(start, $"invalid snappy-java block length {length}");
            if (_compressed.Length < length) _compressed = new byte[Math.Max(length, 64 * 1024)];
            var input = _compressed.AsSpan(0, length);
            ReadFully(input);
            try
            {
                var originalLength = Snappy.GetUncompressedLength(input);
                if (originalLength > MaxBlockBytes || originalLength > (long)length * MaxExpansion + 64)
                {
                    throw Corrupt(start, $"invalid Snappy block: {length} bytes cannot inflate to the {originalLength} bytes it claims");
                }
                if (_decompressed.Length < originalLength) _decompressed = new byte[Math.Max(originalLength, 64 * 1024)];
                var written = Snappy.Decompress(input, _decompressed);
                block = _decompressed.AsMemory(0, written);
                return true;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                throw Corrupt(start, "corrupt Snappy block", e);
            }
        }
    }

    private void CheckHeader(ReadOnlySpan<byte> header, long offset)
    {
        if (!header[..Magic.Length].SequenceEqual(Magic)) throw Corrupt(offset, "not a snappy-java SnappyOutputStream stream (header magic missing)");
        // snappy-java refuses streams whose version is older than 1, the only version it has ever written.
        if (BinaryPrimitives.ReadInt32BigEndian(header[8..]) < 1) throw Corrupt(offset, "unsupported snappy-java stream version");
    }
}
