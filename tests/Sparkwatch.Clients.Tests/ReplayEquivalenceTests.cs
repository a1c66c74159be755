using Sparkwatch.Commands;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>`replay` of every real log serves the file's own lines in file order, and the same durations as the listener's envelopes through /collect.</summary>
public sealed class ReplayEquivalenceTests
{
    [Fact]
    public async Task Replayed_logs_read_back_as_their_files_with_the_durations_of_collect()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var console = new TestConsole();
        var exit = await ReplayCommand.RunAsync(
            [TestPaths.SparkEvents, TestPaths.DelightExampleLog, "--url", server.BaseAddress.ToString(), "--batch", "37", "--concurrency", "3", "--api-key", "k"],
            console.Console);
        Assert.True(exit == 0, console.Output);

        // Attempts of one application are one run, each attempt a stream of its own.
        var runs = SharedLogs.All.GroupBy(SharedLogs.ExpectedRun).ToList();
        Assert.Contains(runs, r => r.Count() > 1);
        var listener = new ListenerClient(server.Client);
        foreach (var run in runs)
        {
            var lines = run.OrderBy(l => l.Name, StringComparer.Ordinal).SelectMany(SharedLogs.Lines).ToList();
            foreach (var envelope in ListenerClient.Envelopes("reference", run.Key.Run, lines)) await listener.PostOkAsync(envelope);

            var replayed = await RunReader.EventsAsync(server.Client, run.Key.Job, run.Key.Run);
            Assert.Null(FileOrder.FirstDifference(lines, replayed));
            Assert.Equal(await RunReader.DurationAsync(server.Client, "reference", run.Key.Run), await RunReader.DurationAsync(server.Client, run.Key.Job, run.Key.Run));
        }
        Assert.Contains("replay summary", console.Output);
    }

    [Fact]
    public async Task Replaying_the_same_logs_twice_stores_nothing_new()
    {
        await using var server = await ServerUnderTest.StartAsync();
        string[] args = [TestPaths.DelightExampleLog, "--url", server.BaseAddress + "collect", "--batch", "100"];
        Assert.Equal(0, await ReplayCommand.RunAsync(args, new TestConsole().Console));
        var console = new TestConsole();
        Assert.Equal(0, await ReplayCommand.RunAsync(args, console.Console));
        var (job, run) = SharedLogs.ExpectedRun(SharedLogs.Named("delight-example-spark3.eventlog"));
        Assert.Equal(418, (await RunReader.RunAsync(server.Client, job, run))!["event_count"]!.GetValue<long>());
        Assert.Contains("418 events of 1 runs", console.Output);
    }

    [Fact]
    public async Task Options_name_the_job_and_run()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var exit = await ReplayCommand.RunAsync([TestPaths.DelightExampleLog, "--url", server.BaseAddress.ToString(), "--job-name", "nightly etl/eu", "--run-id", "2024-07-25 06:00"], new TestConsole().Console);
        Assert.Equal(0, exit);
        Assert.Equal(418, (await RunReader.RunAsync(server.Client, "nightly etl/eu", "2024-07-25 06:00"))!["event_count"]!.GetValue<long>());
    }
}
