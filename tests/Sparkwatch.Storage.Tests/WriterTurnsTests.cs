using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.Storage.Tests;

/// <summary>The SQLite writer's turns: an ingest commit goes before sink writes that asked first, and sinks are not starved.</summary>
public sealed class WriterTurnsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_commit_goes_before_sink_writes_that_were_waiting_already()
    {
        var turns = new WriterTurns();
        await turns.EnterAsync(commit: false, CancellationToken.None);
        var order = new List<string>();
        var sinkA = Take(turns, commit: false, "sink A", order);
        var sinkB = Take(turns, commit: false, "sink B", order);
        var commit = Take(turns, commit: true, "commit", order);
        turns.Exit();
        await Task.WhenAll(sinkA, sinkB, commit).WaitAsync(Patience);
        Assert.Equal(["commit", "sink A", "sink B"], order);
    }

    [Fact]
    public async Task A_waiting_sink_write_is_passed_over_a_bounded_number_of_times()
    {
        var turns = new WriterTurns();
        await turns.EnterAsync(commit: true, CancellationToken.None);
        var order = new List<string>();
        var sink = Take(turns, commit: false, "sink", order);
        // Commits keep arriving while the writer is busy: each one that finds another commit waiting queues behind it.
        var commits = Enumerable.Range(1, WriterTurns.MaxPassedOver + 2).Select(i => Take(turns, commit: true, $"commit {i}", order)).ToList();
        turns.Exit();
        await Task.WhenAll([sink, .. commits]).WaitAsync(Patience);
        Assert.Equal(WriterTurns.MaxPassedOver, order.IndexOf("sink"));
    }

    [Fact]
    public async Task Only_one_holder_at_a_time_under_contention()
    {
        var turns = new WriterTurns();
        var holders = 0;
        var most = 0;
        var tasks = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < 50; n++)
            {
                await turns.EnterAsync(commit: i % 3 == 0, CancellationToken.None);
                var now = Interlocked.Increment(ref holders);
                InterlockedMax(ref most, now);
                await Task.Yield();
                Interlocked.Decrement(ref holders);
                turns.Exit();
            }
        }));
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task A_cancelled_waiter_never_gets_the_writer_and_the_next_one_does()
    {
        var turns = new WriterTurns();
        await turns.EnterAsync(commit: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = turns.EnterAsync(commit: true, cancel.Token);
        var order = new List<string>();
        var sink = Take(turns, commit: false, "sink", order);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        turns.Exit();
        await sink.WaitAsync(Patience);
        Assert.Equal(["sink"], order);
        // The sink released the writer in Take: it is free again.
        Assert.True(turns.EnterAsync(commit: true, CancellationToken.None).IsCompletedSuccessfully);
    }

    // Waits for a turn, notes it, gives the writer back.
    private static async Task Take(WriterTurns turns, bool commit, string name, List<string> order)
    {
        await turns.EnterAsync(commit, CancellationToken.None);
        lock (order) order.Add(name);
        turns.Exit();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
