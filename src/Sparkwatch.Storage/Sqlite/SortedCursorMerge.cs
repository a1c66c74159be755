namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// Merges cursors that each yield rows sorted by (generated_at, seq) in columns 0 and 1 into one sorted stream,
/// holding one row per cursor: a type-filtered read costs the rows it returns, not the run's size.
/// </summary>
internal sealed class SortedCursorMerge(IReadOnlyList<RawStatement> cursors) : IDisposable
{
    private readonly PriorityQueue<RawStatement, (long GeneratedAt, long Seq)> _queue = new();
    private RawStatement? _current;
    private bool _started;

    public RawStatement Current => _current ?? throw new InvalidOperationException("MoveNext first.");

    public bool MoveNext()
    {
        if (!_started)
        {
            _started = true;
            foreach (var cursor in cursors) Enqueue(cursor);
        }
        else if (_current is not null)
        {
            Enqueue(_current);
        }
        return _queue.TryDequeue(out _current, out _);
    }

    private void Enqueue(RawStatement cursor)
    {
        if (cursor.Step()) _queue.Enqueue(cursor, (cursor.Int64(0), cursor.Int64(1)));
    }

    public void Dispose() => _queue.Clear();
}
