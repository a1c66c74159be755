using System.Buffers;
using System.Runtime.InteropServices;

namespace Sparkwatch.Core.Ingest;

/// <summary>
/// A block of memory outside the GC heap, for large payload buffers: freed the moment it is disposed, so the process
/// holds what the memory budget says, not dead arrays waiting for a full garbage collection. No finalizer (a span may
/// outlive this object): its owner, <see cref="PooledBuffer"/>, is always disposed.
/// </summary>
internal sealed unsafe class NativeBlock : MemoryManager<byte>
{
    private readonly int _length;
    private byte* _pointer;

    public NativeBlock(int length)
    {
        _length = length;
        _pointer = (byte*)NativeMemory.Alloc((nuint)length);
    }

    /// <summary>A read-only stream over the first <paramref name="length"/> bytes.</summary>
    public Stream AsStream(int length) => new UnmanagedMemoryStream(Pointer, length);

    public override Span<byte> GetSpan() => new(Pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(Pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        var pointer = _pointer;
        _pointer = null;
        if (pointer != null) NativeMemory.Free(pointer);
    }

    private byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeBlock));
}
