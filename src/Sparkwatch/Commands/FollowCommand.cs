using System.CommandLine;
using Spectre.Console;
using Sparkwatch.Senders;

namespace Sparkwatch.Commands;

/// <summary><c>sparkwatch follow &lt;spark.eventLog.dir&gt; --url &lt;collector&gt;</c>: the sidecar that streams event logs while Spark writes them.</summary>
public static class FollowCommand
{
    /// <summary>Parses <paramref name="args"/> (what follows <c>follow</c>) and runs until cancelled (Ctrl+C); returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        return SparkwatchCommandLine.InvokeAsync(Create(console), args, console, cancellationToken);
    }

    /// <summary>The <c>follow</c> command, printing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var directory = new Argument<string>("directory") { Description = "The folder Spark writes its event logs to (spark.eventLog.dir)" };
        var state = new Option<string>("--state") { Description = "State file recording what was sent, so a restart resumes there", DefaultValueFactory = _ => "sparkwatch-follow.json" };
        var interval = new Option<int>("--interval") { Description = "How often the folder is looked at, in ms", DefaultValueFactory = _ => 1000 };
        var heartbeat = new Option<int>("--heartbeat") { Description = "Heartbeat of a live run with nothing new, in seconds (0: none)", DefaultValueFactory = _ => 10 };
        var jobName = new Option<string?>("--job-name") { Description = "Job name for every log (default: spark.datamechanics.job.name, else spark.app.name of each log)" };
        var sender = new SenderCommandOptions();
        var command = new Command("follow", "Watch a Spark event log folder and stream new events to a Sparkwatch collector as they are written.")
        {
            directory, state, interval, heartbeat, jobName,
        };
        sender.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            if (sender.Problem(result) is { } problem)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]");
                return 2;
            }
            var dir = result.GetValue(directory)!;
            if (!Directory.Exists(dir))
            {
                console.MarkupLineInterpolated($"[red]{dir} is not a folder.[/]");
                return 1;
            }
            var senderOptions = sender.Read(result);
            var options = new FollowOptions(dir, Path.GetFullPath(result.GetValue(state)!), TimeSpan.FromMilliseconds(Math.Max(10, result.GetValue(interval))),
                TimeSpan.FromSeconds(result.GetValue(heartbeat)), result.GetValue(jobName));
            using var http = SenderCommandOptions.CreateHttpClient();
            var stats = new SendStats();
            var follower = new LogFollower(new ListenerSender(http, senderOptions, stats), senderOptions, options,
                line => console.MarkupLineInterpolated($"[grey]{DateTime.Now:HH:mm:ss}[/] {line}"));
            console.MarkupLineInterpolated($"Following {Path.GetFullPath(dir)} → {senderOptions.Url} (state: {options.StatePath}). Ctrl+C stops.");
            await follower.RunAsync(ct);
            console.MarkupLineInterpolated($"Stopped: {stats.Events} events in {stats.Payloads} payloads, {stats.Retries} retries, {stats.Duplicates} duplicates, {stats.Resent} sent again after a restart (stored already, as expected).");
            return 0;
        });
        return command;
    }
}
