using System.Collections;

namespace Sparkwatch.Archive.Retention;

/// <summary>
/// Hands out lines of an archived log by number, in the order <c>/events</c> asks for them, reading the log forward.
/// The archive's order is acceptance order, <c>/events</c> sorts by (generated_at, seq): when a run's payloads arrived in
/// order the two agree and nothing is kept aside. Lines read before their turn that the reader will still ask for
/// (<paramref name="wanted"/> and not served yet) are kept, up to <paramref name="maxKeptBytes"/>; past it the latest are
/// let go and read again on a new pass over the log. Memory: the kept lines plus one bit per line.
/// </summary>
/// <param name="open">Opens the log's lines from the first.</param>
/// <param name="wanted">True for a line the read returns (its type passes the filter).</param>
/// <param name="maxKeptBytes">Most bytes of lines kept aside.</param>
/// <param name="name">The log, for errors.</param>
public sealed class ArchivedLineCursor(Func<CancellationToken, IAsyncEnumerable<ReadOnlyMemory<byte>>> open, Func<ReadOnlyMemory<byte>, bool> wanted,
    long maxKeptBytes, string name) : IAsyncDisposable
{
    private readonly Dictionary<long, byte[]> _kept = [];
    private readonly SortedSet<long> _keptOrder = [];
    private readonly BitArray _served = new(1024);
    private IAsyncEnumerator<ReadOnlyMemory<byte>>? _lines;
    private long _read, _keptBytes;

    /// <summary>How many times the log was read from its start (1 when its order matched, or nothing had to be let go).</summary>
    public int Passes { get; private set; }

    /// <summary>Line <paramref name="number"/> (from 1); valid until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> LineAsync(long number, CancellationToken cancellationToken)
    {
        MarkServed(number);
        if (_kept.Remove(number, out var kept))
        {
            _keptOrder.Remove(number);
            _keptBytes -= kept.Length;
            return kept;
        }
        if (_lines is null || number <= _read)
        {
            if (_lines is not null) await _lines.DisposeAsync();
            _lines = open(cancellationToken).GetAsyncEnumerator(cancellationToken);
            _read = 0;
            Passes++;
        }
        while (await _lines.MoveNextAsync())
        {
            _read++;
            if (_read == number) return _lines.Current;
            if (!IsServed(_read) && !_kept.ContainsKey(_read) && wanted(_lines.Current)) Keep(_read, _lines.Current);
        }
        throw new ArchiveUnreadableException($"{name} ends after {_read} lines; line {number} is missing.");
    }

    private void Keep(long number, ReadOnlyMemory<byte> line)
    {
        _kept[number] = line.ToArray();
        _keptOrder.Add(number);
        _keptBytes += line.Length;
        while (_keptBytes > maxKeptBytes && _keptOrder.Count > 0)
        {
            var latest = _keptOrder.Max;
            _keptOrder.Remove(latest);
            _kept.Remove(latest, out var dropped);
            _keptBytes -= dropped!.Length;
        }
    }

    private void MarkServed(long number)
    {
        if (number >= _served.Length) _served.Length = (int)Math.Min(int.MaxValue, Math.Max(number + 1, (long)_served.Length * 2));
        _served[(int)number] = true;
    }

    private bool IsServed(long number) => number < _served.Length && _served[(int)number];

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_lines is not null) await _lines.DisposeAsync();
    }
}
