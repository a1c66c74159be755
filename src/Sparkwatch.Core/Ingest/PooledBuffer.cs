using System.Buffers;

namespace Sparkwatch.Core.Ingest;

/// <summary>
/// The one owner of a payload buffer: a rented array, how much of it is written, and the memory-budget bytes it holds.
/// Dispose gives back both. Small buffers are arrays of the shared <see cref="ArrayPool{T}"/>; buffers over
/// <see cref="MaxPooledBytes"/> are native memory of their exact size, freed on dispose, so neither the pool's
/// power-of-two rounding, nor the pool keeping giant arrays, nor dead arrays awaiting a collection make a large payload
/// cost more than its size.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    /// <summary>Largest buffer taken from (and returned to) the shared pool; larger ones are exact native allocations.</summary>
    public const int MaxPooledBytes = 4 * 1024 * 1024;

    private Memory<byte> _memory;
    private object? _owner;
    private IngestMemoryBudget.Reservation? _reservation;
    private long _reserved;

    private PooledBuffer(int minimumCapacity) => (_memory, _owner) = Allocate(minimumCapacity);

    /// <summary>Bytes written so far (from the start).</summary>
    public int Length { get; private set; }

    /// <summary>Bytes the buffer can hold: what it really costs.</summary>
    public int Capacity => _memory.Length;

    /// <summary>The written bytes.</summary>
    public ReadOnlySpan<byte> Span => Live.Span[..Length];

    /// <summary>The written bytes.</summary>
    public ReadOnlyMemory<byte> Memory => Live[..Length];

    private Memory<byte> Live => _owner is not null ? _memory : throw new ObjectDisposedException(nameof(PooledBuffer));

    /// <summary>The buffer's bytes from <paramref name="start"/> to its capacity, to write into (then <see cref="Advance"/>).</summary>
    public Span<byte> AsSpan(int start) => Live.Span[start..];

    /// <summary>A slice of the buffer, e.g. one message written into it.</summary>
    public ReadOnlyMemory<byte> AsMemory(int start, int length) => Live.Slice(start, length);

    /// <summary>The free part of the buffer, to read into (then <see cref="Advance"/>).</summary>
    public Memory<byte> Free => Live[Length..];

    /// <summary>Marks <paramref name="count"/> more bytes as written.</summary>
    public void Advance(int count) => Length = checked(Length + count);

    /// <summary>A buffer of at least <paramref name="minimumCapacity"/> bytes, not counted in any budget (the caller accounts for it).</summary>
    public static PooledBuffer Rent(int minimumCapacity) => new(minimumCapacity);

    /// <summary>
    /// A buffer of at least <paramref name="minimumCapacity"/> bytes whose real capacity is reserved in
    /// <paramref name="reservation"/> first (waiting for room) and given back on dispose.
    /// </summary>
    public static async ValueTask<PooledBuffer> RentAsync(int minimumCapacity, IngestMemoryBudget.Reservation? reservation, CancellationToken cancellationToken)
    {
        var cost = CostOf(minimumCapacity);
        if (reservation is not null) await reservation.GrowAsync(cost, cancellationToken);
        return new PooledBuffer(minimumCapacity) { _reservation = reservation, _reserved = reservation is null ? 0 : cost };
    }

    /// <summary>What a buffer of <paramref name="minimumCapacity"/> bytes really takes: the pool's power of two, or the exact size.</summary>
    public static int CostOf(int minimumCapacity) =>
        minimumCapacity <= MaxPooledBytes ? (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumCapacity, 1))) : minimumCapacity;

    /// <summary>
    /// Moves the written bytes into a larger array of at least <paramref name="minimumCapacity"/>: the new array is reserved
    /// before it is taken, the old one given back after the copy.
    /// </summary>
    public async ValueTask GrowAsync(int minimumCapacity, CancellationToken cancellationToken)
    {
        var cost = CostOf(minimumCapacity);
        if (_reservation is not null) await _reservation.GrowAsync(cost, cancellationToken);
        var (memory, owner) = Allocate(minimumCapacity);
        Span.CopyTo(memory.Span);
        Release(_owner);
        (_memory, _owner) = (memory, owner);
        _reservation?.Release(_reserved);
        _reserved = _reservation is null ? 0 : cost;
    }

    /// <summary>A read-only stream over the written bytes, sharing the buffer.</summary>
    public Stream AsStream() => _owner switch
    {
        byte[] array => new MemoryStream(array, 0, Length, writable: false),
        NativeBlock block => block.AsStream(Length),
        _ => throw new ObjectDisposedException(nameof(PooledBuffer)),
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        Release(Interlocked.Exchange(ref _owner, null));
        _memory = default;
        _reservation?.Release(_reserved);
        _reservation = null;
        _reserved = 0;
    }

    private static (Memory<byte> Memory, object Owner) Allocate(int minimumCapacity)
    {
        if (minimumCapacity > MaxPooledBytes)
        {
            var block = new NativeBlock(minimumCapacity);
            return (block.Memory, block);
        }
        var array = ArrayPool<byte>.Shared.Rent(Math.Max(minimumCapacity, 1));
        return (array, array);
    }

    private static void Release(object? owner)
    {
        if (owner is byte[] array) ArrayPool<byte>.Shared.Return(array);
        else (owner as IDisposable)?.Dispose();
    }
}
