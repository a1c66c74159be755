using System.Text;
using System.Text.RegularExpressions;
using Sparkwatch.Commands;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>`follow` streams a log while Spark writes it and resumes after a restart without sending anything twice.</summary>
public sealed class FollowTests
{
    [Fact]
    public async Task Follow_streams_a_growing_log_and_resumes_after_a_restart_without_duplicates_or_gaps()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var folder = TestPaths.NewTempFolder();
        using var stateFolder = TestPaths.NewTempFolder();
        var log = SharedLogs.Named("delight-example-spark3.eventlog");
        var lines = SharedLogs.Lines(log);
        var (job, run) = SharedLogs.ExpectedRun(log);
        var inProgress = Path.Combine(folder.Path, "spark-1955.inprogress");
        string[] args = [folder.Path, "--url", server.BaseAddress.ToString(), "--state", Path.Combine(stateFolder.Path, "state.json"), "--interval", "30", "--heartbeat", "0", "--batch", "64"];

        await using (var writer = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            Append(writer, lines[..100]);
            // Half a line, as Spark leaves it between two flushes: it must not be sent yet.
            var half = Encoding.UTF8.GetBytes(lines[100]);
            writer.Write(half, 0, half.Length / 2);
            writer.Flush();

            var first = new TestConsole();
            using (var stop = new CancellationTokenSource())
            {
                var follower = FollowCommand.RunAsync(args, first.Console, stop.Token);
                Assert.Equal(100, await RunReader.WaitForEventCountAsync(server.Client, job, run, 100));
                await Task.Delay(150);
                Assert.Equal(100, (await RunReader.RunAsync(server.Client, job, run))!["event_count"]!.GetValue<long>());

                writer.Write(half, half.Length / 2, half.Length - half.Length / 2);
                writer.Write("\n"u8);
                Append(writer, lines[101..250]);
                Assert.Equal(250, await RunReader.WaitForEventCountAsync(server.Client, job, run, 250));
                stop.Cancel();
                Assert.Equal(0, await follower.WaitAsync(TimeSpan.FromSeconds(10)));
            }
            Assert.Equal(0, Duplicates(first.Output));

            // Spark goes on writing while the follower is down.
            Append(writer, lines[250..350]);
        }

        var second = new TestConsole();
        using (var stop = new CancellationTokenSource())
        {
            var follower = FollowCommand.RunAsync(args, second.Console, stop.Token);
            Assert.Equal(350, await RunReader.WaitForEventCountAsync(server.Client, job, run, 350));
            File.AppendAllLines(inProgress, lines[350..]);
            File.Move(inProgress, Path.Combine(folder.Path, "spark-1955"));
            Assert.Equal(lines.Count, await RunReader.WaitForEventCountAsync(server.Client, job, run, lines.Count));
            await WaitForAsync(() => second.Output.Contains("spark-1955: complete"));
            stop.Cancel();
            Assert.Equal(0, await follower.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(0, Duplicates(second.Output));
        Assert.Equal(lines.Count, (await RunReader.RunAsync(server.Client, job, run))!["event_count"]!.GetValue<long>());

        // Nothing missed, nothing out of place: the file, line for line.
        Assert.Null(FileOrder.FirstDifference(lines, await RunReader.EventsAsync(server.Client, job, run)));
        Assert.Equal("completed", (await RunReader.RunAsync(server.Client, job, run))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Follow_picks_up_logs_that_appear_after_it_started()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var folder = TestPaths.NewTempFolder();
        using var stateFolder = TestPaths.NewTempFolder();
        var console = new TestConsole();
        using var stop = new CancellationTokenSource();
        var follower = FollowCommand.RunAsync(
            [folder.Path, "--url", server.BaseAddress.ToString(), "--state", Path.Combine(stateFolder.Path, "s.json"), "--interval", "30"], console.Console, stop.Token);
        await Task.Delay(100);
        foreach (var name in new[] { "local-1422981759269", "app-20161116163331-0000" })
        {
            var log = SharedLogs.Named(name);
            File.Copy(log.Parts[0], Path.Combine(folder.Path, name));
            var (job, run) = SharedLogs.ExpectedRun(log);
            Assert.Equal(SharedLogs.Lines(log).Count, await RunReader.WaitForEventCountAsync(server.Client, job, run, SharedLogs.Lines(log).Count));
        }
        stop.Cancel();
        Assert.Equal(0, await follower.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static void Append(FileStream writer, IEnumerable<string> lines)
    {
        foreach (var line in lines) writer.Write(Encoding.UTF8.GetBytes(line + "\n"));
        writer.Flush();
    }

    private static int Duplicates(string output)
    {
        var match = Regex.Match(output, @"(\d+) duplicates");
        Assert.True(match.Success, output);
        return int.Parse(match.Groups[1].Value);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
