namespace Sparkwatch.EventLogs.Codecs;

/// <summary>
/// A write-only stream that cuts what it is given into blocks of Spark's default codec block size (32 KiB) and hands each
/// full block to a subclass to frame; disposing writes the last, partial block and the stream's end, then closes the target
/// unless told to leave it open.
/// </summary>
internal abstract class BlockWriter(Stream target, bool leaveOpen) : Stream
{
    /// <summary>Spark's <c>spark.io.compression.*.blockSize</c> default.</summary>
    protected const int BlockSize = 32 * 1024;

    private readonly byte[] _block = new byte[BlockSize];
    private int _filled;
    private bool _disposed;

    /// <summary>The stream the frames go to.</summary>
    protected Stream Target => target;

    /// <summary>Compresses and frames one block (never empty).</summary>
    protected abstract void WriteBlock(ReadOnlySpan<byte> block);

    /// <summary>Writes what ends the stream after its last block, if the framing has anything.</summary>
    protected virtual void WriteEnd() { }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var count = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..count].CopyTo(_block.AsSpan(_filled));
            _filled += count;
            buffer = buffer[count..];
            if (_filled == BlockSize) FlushBlock();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    private void FlushBlock()
    {
        if (_filled == 0) return;
        WriteBlock(_block.AsSpan(0, _filled));
        _filled = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            FlushBlock();
            WriteEnd();
            if (!leaveOpen) target.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => target.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
