namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// A read-only stream over a block-framed compressed file: subclasses decode one block at a time, this class hands the
/// bytes out, counts the compressed bytes consumed (for error offsets) and turns a truncated end into either a clear
/// error or, for a file still being written, a quiet end of stream.
/// </summary>
internal abstract class BlockStream(Stream source, string path, bool allowTruncatedEnd) : Stream
{
    private ReadOnlyMemory<byte> _current;
    private bool _ended;

    /// <summary>Compressed bytes consumed so far.</summary>
    protected long Offset { get; private set; }

    /// <summary>Decodes the next block; <c>false</c> at the clean end of the stream.</summary>
    protected abstract bool TryDecodeBlock(out ReadOnlyMemory<byte> block);

    public override int Read(Span<byte> buffer)
    {
        while (_current.IsEmpty)
        {
            if (_ended || buffer.IsEmpty) return 0;
            try
            {
                if (!TryDecodeBlock(out _current)) _ended = true;
            }
            catch (TruncatedEnd)
            {
                // The writer is still appending: the last block is not complete yet.
                _ended = true;
            }
        }
        var count = Math.Min(buffer.Length, _current.Length);
        _current.Span[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Reads a whole header; <c>false</c> when the file ends exactly before it (the clean end between blocks).</summary>
    protected bool TryReadHeader(Span<byte> header)
    {
        var read = ReadUpTo(header);
        if (read == 0) return false;
        if (read < header.Length) throw Truncated();
        return true;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length, or fails as truncated.</summary>
    protected void ReadFully(Span<byte> buffer)
    {
        if (ReadUpTo(buffer) < buffer.Length) throw Truncated();
    }

    /// <summary>Reads what the source has, up to <paramref name="buffer"/>'s length.</summary>
    protected int ReadSome(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        Offset += read;
        return read;
    }

    /// <summary>An error about the data at <paramref name="offset"/>.</summary>
    protected EventLogFormatException Corrupt(long offset, string reason, Exception? inner = null) => new(path, offset, reason, inner);

    /// <summary>The file ended inside a block or frame.</summary>
    protected Exception Truncated() => allowTruncatedEnd
        ? new TruncatedEnd()
        : new EventLogFormatException(path, Offset, "the compressed stream ends in the middle of a block: the file is truncated");

    private int ReadUpTo(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = ReadSome(buffer[total..]);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) source.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private sealed class TruncatedEnd : Exception;
}
