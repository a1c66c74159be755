using System.CommandLine;
using Spectre.Console;
using Sparkwatch.Senders;

namespace Sparkwatch.Commands;

/// <summary><c>sparkwatch replay &lt;files or folders&gt; --url &lt;collector&gt;</c>: streams finished event logs to a collector as the listener would.</summary>
public static class ReplayCommand
{
    /// <summary>Parses <paramref name="args"/> (what follows <c>replay</c>) and runs the command; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        return SparkwatchCommandLine.InvokeAsync(Create(console), args, console, cancellationToken);
    }

    /// <summary>The <c>replay</c> command, printing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var paths = new Argument<string[]>("paths") { Description = "Event log files, rolling log folders, or folders holding them", Arity = ArgumentArity.OneOrMore };
        var jobName = new Option<string?>("--job-name") { Description = "Job name for every log (default: spark.datamechanics.job.name, else spark.app.name of each log)" };
        var runId = new Option<string?>("--run-id") { Description = "Run id for every log (default: spark.datamechanics.run.id, else the application id)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Runs replayed at the same time", DefaultValueFactory = _ => 1 };
        var sender = new SenderCommandOptions();
        var command = new Command("replay", "Stream Spark event logs to a Sparkwatch collector exactly as the Data Mechanics listener would have sent them live.")
        {
            paths, jobName, runId, concurrency,
        };
        sender.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            if (sender.Problem(result) is { } problem)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]");
                return 2;
            }
            var options = new ReplayOptions(result.GetValue(jobName), result.GetValue(runId), result.GetValue(concurrency));
            return await ExecuteAsync(result.GetValue(paths)!, sender.Read(result), options, console, ct);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(string[] paths, SenderOptions senderOptions, ReplayOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var http = SenderCommandOptions.CreateHttpClient();
        var replayer = new LogReplayer(http, senderOptions, options);
        var (runs, unreadable) = replayer.Plan(paths);
        foreach (var u in unreadable) console.MarkupLineInterpolated($"[red]cannot read[/] {u.Path}: {u.Reason}");
        if (runs.Count == 0)
        {
            console.MarkupLine("[yellow]No event logs found.[/]");
            return 1;
        }
        await ReplayWithProgressAsync(replayer, runs, console, cancellationToken);
        console.Write(SummaryTable(runs));
        var failed = runs.Count(r => r.Error is not null);
        var events = runs.Sum(r => r.Stats.Events);
        console.MarkupLineInterpolated($"{events} events of {runs.Count} runs sent to {senderOptions.Url} with {runs.Sum(r => r.Stats.Retries)} retries; {failed} runs failed, {unreadable.Count} paths unreadable.");
        return failed == 0 && unreadable.Count == 0 ? 0 : 1;
    }

    private static Task ReplayWithProgressAsync(LogReplayer replayer, IReadOnlyList<RunReplay> runs, IAnsiConsole console, CancellationToken cancellationToken) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = runs.ToDictionary(r => r, r => context.AddTask(Markup.Escape(r.Run.ToString()), maxValue: Math.Max(1, r.TotalBytes)));
                var replay = replayer.ReplayAsync(runs, cancellationToken);
                while (true)
                {
                    var done = replay.IsCompleted;
                    foreach (var (run, task) in tasks) Update(run, task);
                    if (done) break;
                    await Task.WhenAny(replay, Task.Delay(250, CancellationToken.None));
                }
                await replay;
            });

    private static void Update(RunReplay run, ProgressTask task)
    {
        var seconds = Math.Max(run.Finished ? run.Elapsed.TotalSeconds : (DateTime.UtcNow - task.StartTime.GetValueOrDefault(DateTime.UtcNow)).TotalSeconds, 0.001);
        task.Description = Markup.Escape($"{run.Run}: {run.Stats.Events} events, {run.Stats.Events / seconds:0}/s, {run.Stats.Retries} retries")
            + (run.Error is null ? "" : " [red]failed[/]");
        task.IsIndeterminate = run.Compressed && !run.Finished;
        task.Value = run.Finished ? task.MaxValue : Math.Min(run.BytesRead, task.MaxValue);
        if (run.Finished) task.StopTask();
    }

    private static Table SummaryTable(IReadOnlyList<RunReplay> runs)
    {
        var table = new Table().Title("replay summary").AddColumns("run", "events", "payloads", "retries", "duplicates", "time", "events/s", "result");
        foreach (var run in runs)
        {
            var seconds = Math.Max(run.Elapsed.TotalSeconds, 0.001);
            table.AddRow(
                Markup.Escape(run.Run.ToString()), run.Stats.Events.ToString(), run.Stats.Payloads.ToString(), run.Stats.Retries.ToString(),
                run.Stats.Duplicates.ToString(), $"{run.Elapsed.TotalSeconds:0.0} s", $"{run.Stats.Events / seconds:0}",
                run.Error is null ? "[green]sent[/]" : $"[red]{Markup.Escape(run.Error)}[/]");
        }
        return table;
    }
}
