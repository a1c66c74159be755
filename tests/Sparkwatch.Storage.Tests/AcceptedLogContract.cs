using System.Text;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Accepted;
using static Sparkwatch.Storage.Tests.Message;
using static Sparkwatch.Storage.Tests.Payloads;

namespace Sparkwatch.Storage.Tests;

/// <summary>
/// What every store's accepted stream (<see cref="IAcceptedLog"/>) must do: positions per payload, per-run cursors,
/// sinks registered late catching up, leases between processes, lag. One subclass per engine.
/// </summary>
public abstract class AcceptedLogContract : StoreContract
{
    private static readonly RunKey Run = new("spark-pi", "local-1");
    private static readonly RunKey Other = new("etl", "run-2");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private IAcceptedLog Log => (IAcceptedLog)Store;

    /// <summary>Puts the storage back to the schema version before the accepted stream (its tables and column dropped, and
    /// those of every later migration).</summary>
    protected abstract Task UndoAcceptedMigrationAsync();

    [Fact]
    public async Task Each_payload_with_new_events_takes_the_next_position_and_retries_take_none()
    {
        await Log.RegisterSinkAsync("s");
        await Store.AppendAsync([Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)))]);
        await Store.AppendAsync([Batch(Run, 2, 200, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)))]);
        await Store.AppendAsync([Batch(Run, 4, 300, Heartbeat(12), Heartbeat(13))]);
        await Store.AppendAsync([Batch(Run, 5, 400, Event(14, Ev("A", 5)))]);

        var pending = Assert.Single(await Log.ClaimPendingRunsAsync("s", "me", Lease, 10));
        Assert.Equal((Run, 0L, 2L), (pending.Run, pending.AppliedPosition, pending.AcceptedPosition));
        var accepted = await Log.ReadAcceptedAsync(pending.RunPk, 0, 100);
        Assert.Equal([(1L, Ev("A", 1)), (1L, Ev("A", 2)), (2L, Ev("A", 5))], accepted.Events.Select(e => (e.Position, Text(e))));
        Assert.Equal(2, accepted.LastPosition);
        Assert.Equal("A", accepted.Events[0].EventType);
    }

    [Fact]
    public async Task A_sink_registered_late_gets_everything_accepted_before()
    {
        await Store.AppendAsync([Batch(Run, 1, 100, Event(10, Ev("A", 1))), Batch(Other, 1, 100, Event(10, Ev("B", 1)))]);

        await Log.RegisterSinkAsync("late");
        await Log.RegisterSinkAsync("late");

        var pending = await Log.ClaimPendingRunsAsync("late", "me", Lease, 10);
        Assert.Equal([Other, Run], pending.Select(p => p.Run).OrderBy(r => r.JobName));
    }

    [Fact]
    public async Task Reads_stop_after_the_payload_that_reaches_the_limit_and_keep_payload_order()
    {
        await Log.RegisterSinkAsync("s");
        await Store.AppendAsync([Batch(Run, 3, 100, Event(30, Ev("A", 1)), Event(10, Ev("A", 2)), Event(20, Ev("A", 3)))]);
        await Store.AppendAsync([Batch(Run, 4, 200, Event(5, Ev("A", 4)))]);
        var runPk = (await Log.ClaimPendingRunsAsync("s", "me", Lease, 10))[0].RunPk;

        var first = await Log.ReadAcceptedAsync(runPk, 0, 2);
        var rest = await Log.ReadAcceptedAsync(runPk, first.LastPosition, 2);
        var none = await Log.ReadAcceptedAsync(runPk, rest.LastPosition, 2);

        // Within a payload, events come in /events order: (generated_at, seq).
        Assert.Equal([Ev("A", 2), Ev("A", 3), Ev("A", 1)], first.Events.Select(Text));
        Assert.Equal([Ev("A", 4)], rest.Events.Select(Text));
        Assert.Equal((1L, 2L), (first.LastPosition, rest.LastPosition));
        Assert.Empty(none.Events);
        Assert.Equal(2, none.LastPosition);
    }

    [Fact]
    public async Task The_handoff_gets_each_committed_payload_at_its_position_with_the_events_read_back_later()
    {
        var handoff = new RecordingHandoff();
        Log.Handoff = handoff;
        await Log.RegisterSinkAsync("s");
        await Store.AppendAsync([Batch(Run, 3, 100, Event(30, Ev("A", 1)), Event(10, Ev("A", 2)), Event(20, Ev("A", 3))),
            Batch(Other, 1, 100, Event(10, Ev("B", 1)))]);
        await Store.AppendAsync([Batch(Run, 3, 200, Event(30, Ev("A", 1)), Event(10, Ev("A", 2)), Event(20, Ev("A", 3)))]);
        await Store.AppendAsync([Batch(Run, 5, 300, Heartbeat(40), Event(50, Ev("A", 5)))]);
        Log.Handoff = null;
        await Store.AppendAsync([Batch(Run, 6, 400, Event(60, Ev("A", 6)))]);

        var runPk = (await Log.ClaimPendingRunsAsync("s", "me", Lease, 10)).Single(p => p.Run == Run).RunPk;
        var stored = await Log.ReadAcceptedAsync(runPk, 0, 100);
        // The retry took no position and handed nothing; the append after the handoff was removed handed nothing either.
        var handed = handoff.Payloads.Where(p => p.RunPk == runPk).ToList();
        Assert.Equal([1L, 2L], handed.Select(p => p.Position));
        Assert.Equal(stored.Events.Where(e => e.Position <= 2).Select(e => (e.Position, e.Seq, e.GeneratedAt, e.EventType, Text(e))),
            handed.SelectMany(p => p.Events).Select(e => (e.Position, e.Seq, e.GeneratedAt, e.EventType, Text(e))));
        Assert.Equal(handed.Sum(p => p.Events.Sum(e => (long)e.Json.Length)), handed.Sum(p => p.Bytes));
        Assert.Single(handoff.Payloads, p => p.RunPk != runPk);
    }

    private sealed class RecordingHandoff : IAcceptedHandoff
    {
        public List<CommittedPayload> Payloads { get; } = [];

        public void Committed(IReadOnlyList<CommittedPayload> payloads) => Payloads.AddRange(payloads);
    }

    [Fact]
    public async Task An_applied_run_is_pending_again_only_when_a_new_payload_arrives()
    {
        await Log.RegisterSinkAsync("s");
        await Store.AppendAsync([Batch(Run, 1, 100, Event(10, Ev("A", 1)))]);
        var run = (await Log.ClaimPendingRunsAsync("s", "me", Lease, 10))[0];
        await Log.MarkAppliedAsync("s", "me", [new(run.RunPk, 1)]);

        Assert.Empty(await Log.ClaimPendingRunsAsync("s", "me", Lease, 10));
        await Store.AppendAsync([Batch(Run, 2, 200, Event(11, Ev("A", 2)))]);
        var again = Assert.Single(await Log.ClaimPendingRunsAsync("s", "me", Lease, 10));
        Assert.Equal((1L, 2L), (again.AppliedPosition, again.AcceptedPosition));
        Assert.Equal([Ev("A", 2)], (await Log.ReadAcceptedAsync(again.RunPk, again.AppliedPosition, 100)).Events.Select(Text));
    }

    [Fact]
    public async Task Sinks_keep_their_own_cursors()
    {
        await Log.RegisterSinkAsync("one");
        await Log.RegisterSinkAsync("two");
        await Store.AppendAsync([Batch(Run, 1, 100, Event(10, Ev("A", 1)))]);
        var run = (await Log.ClaimPendingRunsAsync("one", "me", Lease, 10))[0];
        await Log.MarkAppliedAsync("one", "me", [new(run.RunPk, 1)]);

        Assert.Empty(await Log.ClaimPendingRunsAsync("one", "me", Lease, 10));
        Assert.Single(await Log.ClaimPendingRunsAsync("two", "me", Lease, 10));
    }

    [Fact]
    public async Task One_mark_moves_the_cursor_of_every_run_it_names_and_no_other()
    {
        await Log.RegisterSinkAsync("s");
        await Store.AppendAsync([Batch(Run, 1, 100, Event(10, Ev("A", 1))), Batch(Other, 1, 100, Event(10, Ev("B", 1)))]);
        await Store.AppendAsync([Batch(Run, 2, 200, Event(11, Ev("A", 2)))]);
        var claimed = await Log.ClaimPendingRunsAsync("s", "me", Lease, 10);
        Assert.Equal(2, claimed.Count);

        await Log.MarkAppliedAsync("s", "me", [.. claimed.Select(r => new AppliedRun(r.RunPk, 1))]);

        var left = Assert.Single(await Log.ClaimPendingRunsAsync("s", "me", Lease, 10));
        Assert.Equal((Run, 1L, 2L), (left.Run, left.AppliedPosition, left.AcceptedPosition));
    }

    [Fact]
    public async Task A_leased_run_goes_to_another_process_only_after_the_lease_ends()
    {
        await Log.RegisterSinkAsync("s");
        await Store.AppendAsync([Batch(Run, 1, 100, Event(10, Ev("A", 1)))]);

        Assert.Single(await Log.ClaimPendingRunsAsync("s", "killed", TimeSpan.FromMilliseconds(300), 10));
        Assert.Empty(await Log.ClaimPendingRunsAsync("s", "other", Lease, 10));
        Assert.Single(await Log.ClaimPendingRunsAsync("s", "killed", Lease, 10));
        await Log.MarkAppliedAsync("s", "killed", [new((await Log.ClaimPendingRunsAsync("s", "killed", TimeSpan.FromMilliseconds(300), 10))[0].RunPk, 0)]);
        await Task.Delay(400);
        Assert.Single(await Log.ClaimPendingRunsAsync("s", "other", Lease, 10));
    }

    [Fact]
    public async Task Lag_counts_the_events_and_runs_not_applied_and_the_oldest_accept_time()
    {
        await Log.RegisterSinkAsync("s");
        Assert.Equal(new SinkLag(0, 0, null), await Log.LagAsync("s"));
        await Store.AppendAsync([Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2))), Batch(Other, 1, 150, Event(10, Ev("B", 1)))]);
        await Store.AppendAsync([Batch(Run, 3, 200, Event(12, Ev("A", 3)))]);

        Assert.Equal(new SinkLag(2, 4, 100), await Log.LagAsync("s"));
        var run = (await Log.ClaimPendingRunsAsync("s", "me", Lease, 10)).Single(r => r.Run == Run);
        await Log.MarkAppliedAsync("s", "me", [new(run.RunPk, 1)]);
        Assert.Equal(new SinkLag(2, 2, 150), await Log.LagAsync("s"));
    }

    [Fact]
    public async Task Upgrading_a_store_from_before_the_accepted_stream_gives_sinks_every_stored_event()
    {
        var many = Enumerable.Range(1, AcceptedSchema.BackfillChunk + 5).Select(i => Event(1000 - i % 7, Ev("A", i))).ToArray();
        await Store.AppendAsync([Batch(Run, many.Length, 100, many), Batch(Other, 1, 150, Event(10, Ev("B", 1)))]);
        var before = await ReadAllAsync(Run);
        await Store.DisposeAsync();
        await UndoAcceptedMigrationAsync();

        await OpenAsync();
        await Log.RegisterSinkAsync("s");

        var run = (await Log.ClaimPendingRunsAsync("s", "me", Lease, 10)).Single(r => r.Run == Run);
        Assert.Equal(2, run.AcceptedPosition);
        var first = await Log.ReadAcceptedAsync(run.RunPk, 0, 1);
        var second = await Log.ReadAcceptedAsync(run.RunPk, first.LastPosition, 1);
        Assert.Equal(AcceptedSchema.BackfillChunk, first.Events.Count);
        Assert.Equal(before, [.. first.Events.Concat(second.Events).Select(Text)]);
        await Store.AppendAsync([Batch(Run, many.Length + 1, 200, Event(2000, Ev("A", 0)))]);
        Assert.Equal([Ev("A", 0)], (await Log.ReadAcceptedAsync(run.RunPk, 2, 100)).Events.Select(Text));
    }

    private async Task<List<string>> ReadAllAsync(RunKey run)
    {
        var events = new List<string>();
        await foreach (var e in Store.ReadEventsAsync(run)) events.Add(Encoding.UTF8.GetString(e.Span));
        return events;
    }

    private static string Text(AcceptedEvent e) => Encoding.UTF8.GetString(e.Json);
}
