using Microsoft.Data.Sqlite;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file on a thread of its own, so that the one writer connection does not
/// stop to do it inside a commit (SQLite's automatic checkpoint runs in the commit that crosses its threshold). A
/// <c>PASSIVE</c> checkpoint neither waits for nor blocks the writer or the readers. The writer keeps a far higher
/// automatic threshold as a backstop, should this thread fall behind.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The writer's own automatic checkpoint, in WAL pages, while this one runs: only reached if it falls behind.</summary>
    public static int BackstopPages(int pages) => pages * 8;

    private readonly SqliteConnection _connection;
    private readonly int _pages;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _pagesSinceCheckpoint;
    private int _disposed;

    /// <param name="connection">A connection of its own (checkpoints run on it, never on the writer's).</param>
    /// <param name="pages">WAL pages written since the last checkpoint that start the next one.</param>
    public SqliteCheckpointer(SqliteConnection connection, int pages)
    {
        _connection = connection;
        _pages = pages;
        // An async loop: it holds a thread only while a checkpoint runs.
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Called after a commit that may have grown the log by <paramref name="pages"/> pages (an estimate is fine).</summary>
    public void Committed(int pages)
    {
        if (Interlocked.Add(ref _pagesSinceCheckpoint, pages) < _pages) return;
        if (_committed.CurrentCount == 0)
        {
            try { _committed.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // A timed wake-up too: the estimate of pages per commit is rough, and a quiet store should still end up checkpointed.
                await _committed.WaitAsync(TimeSpan.FromSeconds(1), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Exchange(ref _pagesSinceCheckpoint, 0);
            try
            {
                SqliteSchema.Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                // Busy or interrupted: the next wake-up tries again, and the writer's backstop still bounds the log.
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The store may be disposed twice (by its owner and by the service container).
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _loop.Wait();
        _connection.Dispose();
        _committed.Dispose();
        _stop.Dispose();
    }
}
