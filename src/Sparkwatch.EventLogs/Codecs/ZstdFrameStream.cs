using System.Buffers;
using ZstdSharp;

namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// Reads standard Zstandard frames, as zstd-jni's <c>ZstdOutputStream</c> (Spark's <c>ZStdCompressionCodec</c>) writes
/// them; several frames in a row are read one after the other. A file that ends inside a frame is truncated.
/// The offset of an error is that of the input chunk (at most 32 KiB) being decoded: zstd does not say which byte is wrong.
/// </summary>
internal sealed class ZstdFrameStream(Stream source, string path, bool allowTruncatedEnd) : BlockStream(source, path, allowTruncatedEnd)
{
    private readonly Decompressor _decompressor = new();
    private readonly byte[] _input = new byte[32 * 1024];
    private readonly byte[] _output = new byte[128 * 1024];
    private int _inputStart, _inputEnd;
    private OperationStatus _status = OperationStatus.Done;

    protected override bool TryDecodeBlock(out ReadOnlyMemory<byte> block)
    {
        block = default;
        while (true)
        {
            // Output left inside the decompressor is drained before more input is read.
            if (_inputStart == _inputEnd && _status != OperationStatus.DestinationTooSmall)
            {
                _inputStart = 0;
                _inputEnd = ReadSome(_input);
                if (_inputEnd == 0)
                {
                    if (_status != OperationStatus.Done) throw Truncated();
                    return false;
                }
            }
            int consumed, written;
            var frameOffset = Offset - (_inputEnd - _inputStart);
            try
            {
                _status = _decompressor.UnwrapStream(_input.AsSpan(_inputStart, _inputEnd - _inputStart), _output, out consumed, out written);
            }
            catch (ZstdException e)
            {
                throw Corrupt(frameOffset, $"corrupt Zstandard data: {e.Message}", e);
            }
            if (_status == OperationStatus.InvalidData || (consumed == 0 && written == 0 && _inputStart < _inputEnd))
            {
                throw Corrupt(frameOffset, "corrupt Zstandard data");
            }
            _inputStart += consumed;
            if (written > 0)
            {
                block = _output.AsMemory(0, written);
                return true;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _decompressor.Dispose();
        base.Dispose(disposing);
    }
}
