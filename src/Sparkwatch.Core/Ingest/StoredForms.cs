using System.Buffers;

namespace Sparkwatch.Core.Ingest;

/// <summary>
/// The bytes a store keeps for each event of a batch (e.g. compressed), made on the request's own thread before the batch
/// waits for the one writer, so that the writer only inserts them. Indexed by the event's ordinal in its payload; an
/// event whose stored form is its JSON itself takes no copy.
/// </summary>
/// <param name="format">What made the forms (e.g. the compression level), so that a writer of another format encodes again.</param>
/// <param name="messageCount">How many messages the payload carried (the ordinals run from 0 to this).</param>
public sealed class StoredForms(int format, int messageCount) : IDisposable
{
    private const int Missing = 0, AsJson = -1;
    // Start + 1 of each ordinal's form in the buffer; Missing or AsJson otherwise.
    private readonly (int StartPlusOne, int Length)[] _byOrdinal = new (int, int)[messageCount];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _used;

    /// <summary>What made the forms.</summary>
    public int Format { get; } = format;

    /// <summary>Records the stored form of <paramref name="message"/>: <paramref name="form"/>, or its JSON itself when <paramref name="form"/> is that very span.</summary>
    public void Add(IngestMessage message, ReadOnlySpan<byte> form)
    {
        if (form.Length == message.Json.Length && form.Overlaps(message.Json.Span))
        {
            _byOrdinal[message.Ordinal] = (AsJson, 0);
            return;
        }
        if (_used + form.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _used + form.Length));
            _buffer.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        form.CopyTo(_buffer.AsSpan(_used));
        _byOrdinal[message.Ordinal] = (_used + 1, form.Length);
        _used += form.Length;
    }

    /// <summary>The stored form of <paramref name="message"/>, if it was recorded.</summary>
    public bool TryGet(IngestMessage message, out ReadOnlySpan<byte> form)
    {
        var (startPlusOne, length) = (uint)message.Ordinal < (uint)_byOrdinal.Length ? _byOrdinal[message.Ordinal] : (Missing, 0);
        form = startPlusOne switch
        {
            Missing => default,
            AsJson => message.Json.Span,
            _ => _buffer.AsSpan(startPlusOne - 1, length),
        };
        return startPlusOne != Missing;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
