using System.Text;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Testing;
using static Sparkwatch.Storage.Tests.Message;
using static Sparkwatch.Storage.Tests.Payloads;

namespace Sparkwatch.Storage.Tests;

/// <summary>
/// What every <see cref="IEventStore"/> must do, whatever the engine. Each engine runs it through a subclass that only
/// says how to open a fresh, empty store.
/// </summary>
public abstract class EventStoreContract : StoreContract
{
    private static readonly RunKey Run = new("spark-pi", "local-1");

    [Fact]
    public async Task Events_are_read_back_sorted_by_generated_at_then_seq()
    {
        await AppendAsync(Batch(Run, 4, 100, Event(30, Ev("A", 1)), Event(10, Ev("A", 2)), Event(10, Ev("A", 3)), Event(20, Ev("A", 4))));

        Assert.Equal([Ev("A", 2), Ev("A", 3), Ev("A", 4), Ev("A", 1)], await ReadAsync(Run));
    }

    [Fact]
    public async Task Retried_payload_is_stored_once()
    {
        var first = await AppendAsync(Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2))));
        var retry = await AppendAsync(Batch(Run, 2, 200, Event(10, Ev("A", 1)), Event(11, Ev("A", 2))));

        Assert.Equal(new AppendResult(2, 0, 0), first);
        Assert.Equal(new AppendResult(0, 2, 0), retry);
        Assert.Equal([Ev("A", 1), Ev("A", 2)], await ReadAsync(Run));
        Assert.Equal(2, (await Store.GetRunAsync(Run))!.EventCount);
    }

    [Fact]
    public async Task Retry_carrying_newer_messages_stores_only_the_new_ones()
    {
        await AppendAsync(Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2))));
        var rebuilt = await AppendAsync(Batch(Run, 4, 200, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)), Event(12, Ev("A", 3)), Heartbeat(13)));

        Assert.Equal(new AppendResult(1, 2, 0), rebuilt);
        Assert.Equal([Ev("A", 1), Ev("A", 2), Ev("A", 3)], await ReadAsync(Run));
    }

    [Fact]
    public async Task A_new_driver_counting_from_1_again_opens_a_new_stream_of_the_run()
    {
        await AppendAsync(Batch(Run, 3, 100, Event(10, AppStart(10, "1")), Event(11, Ev("A", 1)), Event(12, Ev("A", 2))));
        // Attempt 2 reuses the run id and starts its counters at 1 again: its seqs collide, its bytes differ.
        var second = await AppendAsync(Batch(Run, 3, 200, Event(20, AppStart(20, "2")), Event(21, Ev("B", 1)), Event(22, Ev("B", 2))));
        var next = await AppendAsync(Batch(Run, 4, 300, Event(23, Ev("B", 3))));

        Assert.Equal(new AppendResult(3, 0, 0), second);
        Assert.Equal(new AppendResult(1, 0, 0), next);
        Assert.Equal([AppStart(10, "1"), Ev("A", 1), Ev("A", 2), AppStart(20, "2"), Ev("B", 1), Ev("B", 2), Ev("B", 3)], await ReadAsync(Run));
        Assert.Equal(["1", "2"], (await Store.GetRunAsync(Run))!.Starts.Select(s => s.AttemptId).Order());
    }

    [Fact]
    public async Task Retries_of_an_older_stream_after_a_new_one_started_are_duplicates()
    {
        var first = Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)));
        await AppendAsync(first);
        await AppendAsync(Batch(Run, 2, 200, Event(20, Ev("B", 1)), Event(21, Ev("B", 2))));

        var lateRetry = await AppendAsync(Batch(Run, 2, 300, Event(10, Ev("A", 1)), Event(11, Ev("A", 2))));
        var lateRebuilt = await AppendAsync(Batch(Run, 3, 300, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)), Event(12, Ev("A", 3))));
        var current = await AppendAsync(Batch(Run, 3, 400, Event(22, Ev("B", 3))));

        Assert.Equal(new AppendResult(0, 2, 0), lateRetry);
        Assert.Equal(new AppendResult(1, 2, 0), lateRebuilt);
        Assert.Equal(new AppendResult(1, 0, 0), current);
        Assert.Equal([Ev("A", 1), Ev("A", 2), Ev("A", 3), Ev("B", 1), Ev("B", 2), Ev("B", 3)], await ReadAsync(Run));
    }

    [Fact]
    public async Task A_late_retry_beyond_the_newest_streams_seqs_still_goes_to_its_own_stream()
    {
        await AppendAsync(Batch(Run, 4, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)), Event(12, Ev("A", 3)), Event(13, Ev("A", 4))));
        await AppendAsync(Batch(Run, 2, 200, Event(20, Ev("B", 1)), Event(21, Ev("B", 2))));

        // Seqs 3 and 4 are free in the new stream, but the older stream holds these very messages there.
        var lateRetry = await AppendAsync(Batch(Run, 4, 300, Event(12, Ev("A", 3)), Event(13, Ev("A", 4))));
        var current = await AppendAsync(Batch(Run, 4, 400, Event(22, Ev("B", 3)), Event(23, Ev("B", 4))));

        Assert.Equal(new AppendResult(0, 2, 0), lateRetry);
        Assert.Equal(new AppendResult(2, 0, 0), current);
        Assert.Equal(8, (await ReadAsync(Run)).Count);
    }

    [Fact]
    public async Task A_third_driver_gets_a_third_stream_and_retries_of_each_stay_duplicates()
    {
        foreach (var driver in new[] { "A", "B", "C" }) await AppendAsync(Batch(Run, 2, 100, Event(10, Ev(driver, 1)), Event(11, Ev(driver, 2))));
        var retries = new List<AppendResult>();
        foreach (var driver in new[] { "C", "A", "B" }) retries.Add(await AppendAsync(Batch(Run, 2, 200, Event(10, Ev(driver, 1)), Event(11, Ev(driver, 2)))));

        Assert.All(retries, r => Assert.Equal(new AppendResult(0, 2, 0), r));
        Assert.Equal(6, (await ReadAsync(Run)).Count);
        Assert.Equal(6, (await Store.GetRunAsync(Run))!.EventCount);
    }

    [Fact]
    public async Task Delight_retry_rebuilt_under_new_counters_stores_only_the_new_lines()
    {
        var run = new RunKey("app", "app-11111111-2222-3333-4444-555555555555");
        var lines = Enumerable.Range(0, 5).Select(i => Ev("SparkListenerJobStart", i)).ToArray();

        var first = await AppendAsync(DelightBatch(run.RunId, 3, 100, lines[..3]));
        // The agent raised its counters before the acknowledgement, and rebuilds the retry from the head of its queue.
        var retry = await AppendAsync(DelightBatch(run.RunId, 8, 200, lines));
        var again = await AppendAsync(DelightBatch(run.RunId, 13, 300, lines));

        Assert.Equal(new AppendResult(3, 0, 0), first);
        Assert.Equal(new AppendResult(2, 3, 0), retry);
        Assert.Equal(new AppendResult(0, 5, 0), again);
        Assert.Equal(lines, await ReadAsync(run));
    }

    [Fact]
    public async Task Identical_events_inside_one_payload_are_all_kept()
    {
        var run = new RunKey("app", "app-11111111-2222-3333-4444-555555555555");
        await AppendAsync(DelightBatch(run.RunId, 2, 100, [Ev("A", 1)]));

        var twins = await AppendAsync(DelightBatch(run.RunId, 4, 200, [Ev("A", 1), Ev("A", 1), Ev("A", 1)]));
        var listener = await AppendAsync(Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(10, Ev("A", 1))));

        Assert.Equal(new AppendResult(2, 1, 0), twins);
        Assert.Equal(new AppendResult(2, 0, 0), listener);
        Assert.Equal(3, (await ReadAsync(run)).Count);
    }

    [Fact]
    public async Task Payloads_arriving_out_of_order_are_read_back_in_order()
    {
        await AppendAsync(Batch(Run, 4, 100, Event(10, Ev("A", 3)), Event(10, Ev("A", 4))));
        await AppendAsync(Batch(Run, 2, 200, Event(10, Ev("A", 1)), Event(10, Ev("A", 2))));

        Assert.Equal([Ev("A", 1), Ev("A", 2), Ev("A", 3), Ev("A", 4)], await ReadAsync(Run));
    }

    [Fact]
    public async Task Interleaved_runs_keep_their_own_events()
    {
        var other = new RunKey("spark-pi", "local-2");
        var results = await Store.AppendAsync([
            Batch(Run, 1, 100, Event(10, Ev("A", 1))), Batch(other, 1, 100, Event(10, Ev("B", 1))),
            Batch(Run, 2, 100, Event(11, Ev("A", 2))), Batch(other, 2, 100, Event(11, Ev("B", 2))),
        ]);
        await AppendAsync(Batch(other, 3, 200, Event(12, Ev("B", 3))));

        Assert.All(results, r => Assert.Equal(1, r.EventsStored));
        Assert.Equal([Ev("A", 1), Ev("A", 2)], await ReadAsync(Run));
        Assert.Equal([Ev("B", 1), Ev("B", 2), Ev("B", 3)], await ReadAsync(other));
    }

    [Fact]
    public async Task Same_payload_twice_in_one_group_commit_is_stored_once()
    {
        var results = await Store.AppendAsync([Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2))), Batch(Run, 2, 100, Event(10, Ev("A", 1)), Event(11, Ev("A", 2)))]);

        Assert.Equal([new AppendResult(2, 0, 0), new AppendResult(0, 2, 0)], results);
        Assert.Equal(2, (await ReadAsync(Run)).Count);
    }

    [Fact]
    public async Task Type_filter_returns_only_those_types_in_order()
    {
        await AppendAsync(Batch(Run, 5, 100, Event(14, Ev("A", 1)), Event(13, Ev("B", 2)), Event(12, Ev("C", 3)), Event(11, Ev("A", 4)), Event(10, Ev("B", 5))));

        Assert.Equal([Ev("B", 5), Ev("A", 4), Ev("B", 2), Ev("A", 1)], await ReadAsync(Run, ["A", "B", "Unknown"]));
        Assert.Empty(await ReadAsync(Run, ["Unknown"]));
    }

    [Fact]
    public async Task Payload_without_counters_is_numbered_after_the_runs_last_message_heartbeats_included()
    {
        await AppendAsync(Batch(Run, null, 100, Event(10, Ev("A", 1)), Event(10, Ev("A", 2)), Heartbeat(10)));
        await AppendAsync(Batch(Run, null, 200, Event(10, Ev("A", 3))));
        // Seq 4 holds A3 (the heartbeat took seq 3), so A3 sent again with counters at seq 4 is a duplicate.
        var counted = await AppendAsync(Batch(Run, 4, 300, Event(10, Ev("A", 3))));

        Assert.Equal(new AppendResult(0, 1, 0), counted);
        Assert.Equal([Ev("A", 1), Ev("A", 2), Ev("A", 3)], await ReadAsync(Run));
    }

    [Fact]
    public async Task Unknown_run_and_job_read_as_absent()
    {
        await AppendAsync(Batch(Run, 1, 100, Event(10, Ev("A", 1))));
        var unknown = new RunKey("spark-pi", "nope");

        Assert.Empty(await ReadAsync(unknown));
        Assert.Null(await Store.GetRunAsync(unknown));
        Assert.Null(await Store.ListRunsAsync("no-such-job", null, 10));
        Assert.Empty(await Store.ListQuarantineAsync(unknown, 0, 10));
    }

    [Fact]
    public async Task Run_facts_follow_the_events()
    {
        await AppendAsync(Batch(Run, 2, 1000, Event(500, AppStart(480, appId: "app-7", appName: "Spark Pi")), Event(600, Ev("A", 1))));
        await AppendAsync(Batch(Run, 4, 2000, Heartbeat(700), Event(900, AppEnd(880))));
        await AppendAsync(Batch(Run, 4, 1500));

        var run = await Store.GetRunAsync(Run);

        Assert.NotNull(run);
        Assert.Equal(("spark-pi", "local-1", 1000L, 2000L, 480L, 3L, 0L), (run.JobName, run.RunId, run.FirstSeenAt, run.LastSeenAt, run.SortTime, run.EventCount, run.QuarantinedCount));
        Assert.Equal(("app-7", "Spark Pi", false), (run.AppId, run.AppName, run.UploadComplete));
        Assert.Equal([new Core.Runs.AttemptStart(null, 480)], run.Starts);
        Assert.Equal([880L], run.EndTimes);
    }

    [Fact]
    public async Task Upload_complete_is_kept_once_said()
    {
        await AppendAsync(Batch(Run, 1, 100, Event(10, Ev("A", 1))));
        await AppendAsync(new IngestBatch(Run, null, 200, [], [], 0, 0, uploadComplete: true));
        await AppendAsync(Batch(Run, 2, 300, Event(11, Ev("A", 2))));

        Assert.True((await Store.GetRunAsync(Run))!.UploadComplete);
    }

    [Fact]
    public async Task Every_attempt_is_recorded_and_the_latest_start_sorts_the_run()
    {
        await AppendAsync(Batch(Run, 4, 100, Event(10, AppStart(1000, "1")), Event(20, AppEnd(1500)), Event(30, AppStart(2000, "2")), Event(40, AppEnd(2600))));
        await AppendAsync(Batch(Run, 4, 200, Event(10, AppStart(1000, "1"))));

        var run = await Store.GetRunAsync(Run);

        Assert.Equal([new("1", 1000), new("2", 2000)], run!.Starts.OrderBy(s => s.StartTime));
        Assert.Equal([1500L, 2600L], run.EndTimes.Order());
        Assert.Equal(2000, run.SortTime);
    }

    [Fact]
    public async Task Jobs_are_listed_by_name_in_pages()
    {
        foreach (var job in new[] { "b-job", "a-job", "c-job", "Spark Pi" }) await AppendAsync(Batch(new RunKey(job, "r1"), 1, 100, Event(10, Ev("A", 1))));
        await AppendAsync(Batch(new RunKey("a-job", "r2"), 1, 300, Event(10, Ev("A", 1))));

        var first = await Store.ListJobsAsync(null, 2);
        var second = await Store.ListJobsAsync(first[^1].JobName, 10);

        Assert.Equal(["Spark Pi", "a-job"], first.Select(j => j.JobName));
        Assert.Equal(["b-job", "c-job"], second.Select(j => j.JobName));
        Assert.Equal(new JobSummary("a-job", 2, 300), first[1]);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_in_pages()
    {
        foreach (var (runId, start) in new[] { ("r1", 1000L), ("r3", 3000L), ("r2", 2000L), ("r2b", 2000L) })
        {
            await AppendAsync(Batch(new RunKey("job", runId), 1, 100, Event(start, AppStart(start))));
        }

        var first = await Store.ListRunsAsync("job", null, 2);
        var second = await Store.ListRunsAsync("job", new RunCursor(first![^1].SortTime, first[^1].RunId), 10);

        Assert.Equal(["r3", "r2b"], first.Select(r => r.RunId));
        Assert.Equal(["r2", "r1"], second!.Select(r => r.RunId));
    }

    [Fact]
    public async Task Invalid_messages_are_quarantined_once_and_listed_in_pages()
    {
        var result = await AppendAsync(Batch(Run, 4, 100, Broken(10, "not json"), Event(11, Ev("A", 1)), Broken(12, "{\"no\":\"event\"}"), Broken(13, "[")));
        var retry = await AppendAsync(Batch(Run, 4, 200, Broken(10, "not json"), Event(11, Ev("A", 1)), Broken(12, "{\"no\":\"event\"}"), Broken(13, "[")));

        var first = await Store.ListQuarantineAsync(Run, 0, 2);
        var rest = await Store.ListQuarantineAsync(Run, first[^1].Seq, 10);

        Assert.Equal(new AppendResult(1, 0, 3), result);
        Assert.Equal(new AppendResult(0, 4, 0), retry);
        Assert.Equal([1L, 3L], first.Select(q => q.Seq));
        Assert.Equal("not json", Encoding.UTF8.GetString(first[0].Content));
        Assert.Equal((10L, 100L), (first[0].GeneratedAt, first[0].ReceivedAt));
        Assert.False(string.IsNullOrWhiteSpace(first[0].Reason));
        Assert.Equal([4L], rest.Select(q => q.Seq));
        Assert.Equal(3, (await Store.GetRunAsync(Run))!.QuarantinedCount);
    }

    [Fact]
    public async Task Real_event_log_in_shuffled_retried_payloads_reads_back_whole_and_sorted()
    {
        var lines = File.ReadLines(Path.Combine(TestPaths.SparkEvents, "local-1430917381534")).Where(l => l.Length > 0).ToList();
        var envelopes = ListenerClient.Envelopes("log-job", "local-1430917381534", lines, batchSize: 25).ToList();
        var random = new Random(7);
        // Every payload once, a third of them twice, in a shuffled order, in groups of three per commit.
        var sends = envelopes.Concat(envelopes.Where((_, i) => i % 3 == 0)).OrderBy(_ => random.Next()).ToList();
        foreach (var group in sends.Chunk(3)) await Store.AppendAsync([.. group.Select(e => Decode(e, 100))]);

        var expected = lines.Select((line, i) => (Line: line, Time: GeneratedAtOf(lines, i), Seq: i)).OrderBy(x => x.Time).ThenBy(x => x.Seq).Select(x => x.Line);
        Assert.Equal(expected, await ReadAsync(new RunKey("log-job", "local-1430917381534")));
        Assert.Equal(lines.Count, (await Store.GetRunAsync(new RunKey("log-job", "local-1430917381534")))!.EventCount);
    }

    // The generated_at ListenerClient.Envelopes gives line i: its Timestamp, else the latest one before it.
    private static long GeneratedAtOf(List<string> lines, int index)
    {
        for (var i = index; i >= 0; i--)
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(lines[i])?["Timestamp"]?.GetValue<long>() is { } t) return t;
        }
        return 0;
    }

    private async Task<AppendResult> AppendAsync(IngestBatch batch) => (await Store.AppendAsync([batch]))[0];

    private async Task<List<string>> ReadAsync(RunKey run, IReadOnlyCollection<string>? types = null)
    {
        var events = new List<string>();
        await foreach (var e in Store.ReadEventsAsync(run, types)) events.Add(Encoding.UTF8.GetString(e.Span));
        return events;
    }
}
