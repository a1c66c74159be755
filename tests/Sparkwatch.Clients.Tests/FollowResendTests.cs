using Sparkwatch.Commands;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>
/// `follow` stopped between a send and the save of its position sends that payload again when it restarts: the
/// collector has it already, which is the expected no-op — stored once, and not reported as duplicates.
/// </summary>
public sealed class FollowResendTests
{
    [Fact]
    public async Task A_payload_sent_again_after_a_restart_is_a_quiet_no_op()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var folder = TestPaths.NewTempFolder();
        using var stateFolder = TestPaths.NewTempFolder();
        var log = SharedLogs.Named("delight-example-spark3.eventlog");
        var lines = SharedLogs.Lines(log);
        var (job, run) = SharedLogs.ExpectedRun(log);
        var inProgress = Path.Combine(folder.Path, "spark-77.inprogress");
        var state = Path.Combine(stateFolder.Path, "state.json");
        string[] args = [folder.Path, "--url", server.BaseAddress.ToString(), "--state", state, "--interval", "20", "--heartbeat", "0", "--batch", "500"];

        File.AppendAllLines(inProgress, lines[..100]);
        await FollowUntilAsync(args, () => RunReader.WaitForEventCountAsync(server.Client, job, run, 100));
        var savedBeforeTheSend = File.ReadAllText(state);
        File.AppendAllLines(inProgress, lines[100..150]);
        await FollowUntilAsync(args, () => RunReader.WaitForEventCountAsync(server.Client, job, run, 150));

        // As if the follower had been killed after the collector acknowledged lines 101–150 but before it saved that.
        File.WriteAllText(state, savedBeforeTheSend);
        var output = await FollowUntilAsync(args, async () => await Task.FromResult(0L), "were stored already");

        Assert.Contains(" 0 duplicates, 50 sent again after a restart", output.Replace("\n", " "));
        Assert.Equal(150, (await RunReader.RunAsync(server.Client, job, run))!["event_count"]!.GetValue<long>());
    }

    /// <summary>Runs `follow` until <paramref name="until"/> is done and, when given, <paramref name="reported"/> is printed; returns its output.</summary>
    private static async Task<string> FollowUntilAsync(string[] args, Func<Task<long>> until, string? reported = null)
    {
        var console = new TestConsole();
        using var stop = new CancellationTokenSource();
        var follower = FollowCommand.RunAsync(args, console.Console, stop.Token);
        await until();
        for (var i = 0; i < 200 && reported is not null && !console.Output.Contains(reported, StringComparison.Ordinal); i++) await Task.Delay(50);
        stop.Cancel();
        Assert.Equal(0, await follower.WaitAsync(TimeSpan.FromSeconds(10)));
        return console.Output;
    }
}
