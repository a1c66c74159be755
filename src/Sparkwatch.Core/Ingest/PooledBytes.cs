using System.Buffers;

namespace Sparkwatch.Core.Ingest;

/// <summary>Growing a pooled buffer as a body of unknown size is read into it, never past a limit.</summary>
public static class PooledBytes
{
    /// <summary>
    /// The size the buffer grows to next: double, but no more than one byte past <paramref name="limit"/> (enough to
    /// see that the limit is passed).
    /// </summary>
    public static int NextSize(int currentSize, long limit) => (int)Math.Min((long)currentSize * 2, Math.Min(limit + 1, Array.MaxLength));

    /// <summary>Moves the first <paramref name="length"/> bytes into a pooled buffer of <paramref name="newSize"/> and returns the old one to the pool.</summary>
    public static byte[] Grow(byte[] buffer, int length, int newSize)
    {
        var larger = ArrayPool<byte>.Shared.Rent(newSize);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
