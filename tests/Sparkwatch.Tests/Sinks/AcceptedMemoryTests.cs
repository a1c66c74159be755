using System.Text;
using Sparkwatch.Sinks;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Tests.Sinks;

/// <summary>What the sinks' memory of committed payloads serves, to whom, and when it lets go.</summary>
public sealed class AcceptedMemoryTests
{
    private const long Run = 7;

    [Fact]
    public void A_reader_gets_whole_payloads_right_after_its_cursor_up_to_a_gap_and_nothing_when_the_next_is_missing()
    {
        var memory = new AcceptedMemory(1 << 20);
        var reader = memory.AddReader();
        memory.Committed([Payload(Run, 1, "a", "b"), Payload(Run, 2, "c"), Payload(Run, 4, "e"), Payload(Run + 1, 3, "x")]);

        Assert.Null(memory.TryRead(reader, Run, afterPosition: 4, maxEvents: 100));
        var read = memory.TryRead(reader, Run, afterPosition: 0, maxEvents: 100)!;

        Assert.Equal(["a", "b", "c"], read.Events.Select(Text));
        Assert.Equal(2, read.LastPosition);
        // Position 3 was never handed over (committed elsewhere): the reader must go to the store for it.
        Assert.Null(memory.TryRead(reader, Run, afterPosition: 2, maxEvents: 100));
    }

    [Fact]
    public void A_read_stops_after_the_payload_that_reaches_the_limit()
    {
        var memory = new AcceptedMemory(1 << 20);
        var reader = memory.AddReader();
        memory.Committed([Payload(Run, 1, "a", "b"), Payload(Run, 2, "c", "d"), Payload(Run, 3, "e")]);

        var first = memory.TryRead(reader, Run, 0, maxEvents: 3)!;
        var rest = memory.TryRead(reader, Run, first.LastPosition, maxEvents: 3)!;

        Assert.Equal((4, 2L), (first.Events.Count, first.LastPosition));
        Assert.Equal(["e"], rest.Events.Select(Text));
        Assert.Equal(3, rest.LastPosition);
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void A_payload_is_kept_until_every_reader_took_it_or_read_it_from_the_store()
    {
        var memory = new AcceptedMemory(1 << 20);
        var model = memory.AddReader();
        var search = memory.AddReader();
        var archive = memory.AddReader();
        memory.Committed([Payload(Run, 1, "a"), Payload(Run, 2, "b")]);

        Assert.Equal(2, memory.TryRead(model, Run, 0, 100)!.LastPosition);
        Assert.Null(memory.TryRead(model, Run, 0, 100));
        Assert.Equal(2, memory.Count);
        Assert.Equal(["a", "b"], memory.TryRead(search, Run, 0, 100)!.Events.Select(Text));
        Assert.Equal(2, memory.Count);
        memory.Skipped(archive, Run, afterPosition: 0, throughPosition: 2);

        Assert.Equal((0, 0L), (memory.Count, memory.Bytes));
    }

    [Fact]
    public void The_oldest_payloads_are_pushed_out_beyond_the_budget_and_a_reader_then_goes_to_the_store()
    {
        var oneEvent = Payload(Run, 1, "aaaa");
        var budget = Size(oneEvent) * 2;
        var memory = new AcceptedMemory(budget);
        var reader = memory.AddReader();

        memory.Committed([oneEvent, Payload(Run, 2, "bbbb")]);
        Assert.Equal((2, budget), (memory.Count, memory.Bytes));
        memory.Committed([Payload(Run, 3, "cccc")]);

        Assert.Null(memory.TryRead(reader, Run, 0, 100));
        // The reader let position 1 go untaken: it is behind, so the rest went too and it reads them from the store.
        Assert.Null(memory.TryRead(reader, Run, 1, 100));
        Assert.Equal((0, 0L), (memory.Count, memory.Bytes));
    }

    [Fact]
    public void A_reader_that_let_a_payload_be_pushed_out_gets_nothing_kept_until_it_caught_up_while_the_others_still_do()
    {
        var oneEvent = Payload(Run, 1, "aaaa");
        var memory = new AcceptedMemory(Size(oneEvent) * 2);
        var lagging = memory.AddReader();
        var keepingUp = memory.AddReader();

        memory.Committed([oneEvent, Payload(Run, 2, "bbbb")]);
        Assert.Equal(2, memory.TryRead(keepingUp, Run, 0, 100)!.LastPosition);
        memory.Committed([Payload(Run, 3, "cccc")]); // pushes out position 1, which `lagging` never took
        Assert.True(memory.IsBehind(lagging));
        Assert.False(memory.IsBehind(keepingUp));
        Assert.Equal(1, memory.Count); // only position 3, for `keepingUp`: 2 was kept for `lagging` alone and went

        memory.Committed([Payload(Run, 4, "dddd")]);
        Assert.Equal(["cccc", "dddd"], memory.TryRead(keepingUp, Run, 2, 100)!.Events.Select(Text));
        // What was kept for `lagging` went when it fell behind (2 with it, as no one else needed it), and 3 and 4 were not kept for it.
        Assert.Null(memory.TryRead(lagging, Run, 1, 100));
        Assert.Null(memory.TryRead(lagging, Run, 2, 100));
        Assert.Null(memory.TryRead(lagging, Run, 3, 100));
        Assert.Equal((0, 0L), (memory.Count, memory.Bytes));

        memory.CaughtUp(lagging);
        memory.Committed([Payload(Run, 5, "eeee")]);
        Assert.Equal(["eeee"], memory.TryRead(lagging, Run, 4, 100)!.Events.Select(Text));
    }

    [Fact]
    public void Nothing_is_kept_without_readers_nor_for_readers_that_came_later_nor_beyond_the_whole_budget()
    {
        var memory = new AcceptedMemory(1 << 10);
        memory.Committed([Payload(Run, 1, "a")]);
        Assert.Equal(0, memory.Count);

        var reader = memory.AddReader();
        memory.Committed([Payload(Run, 2, new string('x', 2 << 10))]);
        Assert.Equal(0, memory.Count);

        memory.Committed([Payload(Run, 3, "c")]);
        var later = memory.AddReader();
        Assert.Null(memory.TryRead(later, Run, 2, 100));
        Assert.Equal(["c"], memory.TryRead(reader, Run, 2, 100)!.Events.Select(Text));
    }

    private static CommittedPayload Payload(long runPk, long position, params string[] texts)
    {
        var events = texts.Select((t, i) => new AcceptedEvent(position, position * 100 + i, 1000 + i, "E", Encoding.UTF8.GetBytes(t))).ToList();
        return new CommittedPayload(runPk, position, events, events.Sum(e => (long)e.Json.Length));
    }

    private static long Size(CommittedPayload payload)
    {
        var memory = new AcceptedMemory(long.MaxValue);
        memory.AddReader();
        memory.Committed([payload]);
        return memory.Bytes;
    }

    private static string Text(AcceptedEvent e) => Encoding.UTF8.GetString(e.Json);
}
