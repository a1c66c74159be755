namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// The one SQLite writer connection's lock, with turns that put an ingest commit ahead of the sinks' writes: a commit
/// that arrives while a sink writes goes next, instead of queueing behind every sink write that asked before it (an
/// acknowledgement waits for at most one sink write). A waiting sink write is passed over at most
/// <see cref="MaxPassedOver"/> times in a row, so sinks keep up while ingest is saturated.
/// </summary>
internal sealed class WriterTurns
{
    /// <summary>How many commits in a row may go ahead of a waiting sink write.</summary>
    public const int MaxPassedOver = 4;

    private readonly Lock _sync = new();
    private readonly Queue<TaskCompletionSource> _commits = new();
    private readonly Queue<TaskCompletionSource> _sinkWrites = new();
    private bool _held;
    private int _passedOver;

    /// <summary>Waits for the writer; <paramref name="commit"/> marks an ingest commit, which goes before sink writes.</summary>
    public async Task EnterAsync(bool commit, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return;
            }
            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (commit ? _commits : _sinkWrites).Enqueue(turn);
        }
        // A cancelled waiter stays in its queue, completed, and Exit passes it by; a turn already given is not taken back.
        await using var cancellation = cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken));
        await turn.Task;
    }

    /// <summary>Hands the writer to the next waiter: a commit first, unless sink writes were passed over too often.</summary>
    public void Exit()
    {
        lock (_sync)
        {
            while (true)
            {
                var sinkFirst = _sinkWrites.Count > 0 && (_commits.Count == 0 || _passedOver >= MaxPassedOver);
                var queue = sinkFirst ? _sinkWrites : _commits;
                if (!queue.TryDequeue(out var next))
                {
                    _held = false;
                    return;
                }
                if (!next.TrySetResult()) continue;
                // Counts only commits that went while a sink write waited.
                _passedOver = !sinkFirst && _sinkWrites.Count > 0 ? _passedOver + 1 : 0;
                return;
            }
        }
    }
}
