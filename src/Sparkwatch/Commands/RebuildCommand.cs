using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;
using Sparkwatch.Model;
using Sparkwatch.Model.Api;
using Sparkwatch.Storage;

namespace Sparkwatch.Commands;

/// <summary><c>sparkwatch rebuild [--job-name J --run-id R] [--data-dir DIR]</c>: recomputes the run model from stored events.</summary>
public static class RebuildCommand
{
    /// <summary>Runs the command with <paramref name="args"/> (what follows <c>rebuild</c>); returns the exit code
    /// (0 rebuilt, 1 the named run is unknown, 2 bad usage or settings).</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        return SparkwatchCommandLine.InvokeAsync(Create(console), args, console, cancellationToken);
    }

    /// <summary>The <c>rebuild</c> command, printing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var settingsArgument = new Argument<string[]>("settings")
        {
            Description = "Settings written --Sparkwatch:<Setting>=value, as the server's",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var jobName = new Option<string?>("--job-name") { Description = "The job of the one run to rebuild (with --run-id); without both, every run is rebuilt" };
        var runId = new Option<string?>("--run-id") { Description = "The run to rebuild (with --job-name)" };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Folder of the embedded SQLite store, as the server's --data-dir (Sparkwatch:DataDirectory)" };
        var store = new Option<string?>("--store") { Description = "sqlite (default) or postgres, with --Sparkwatch:Postgres:ConnectionString=… (Sparkwatch:Store)" };
        var command = new Command("rebuild", "Recompute the run model (jobs, stages, tasks, executors served by /api/v1) of one run or of every run " +
            "from its stored events, e.g. after an upgrade of the projector. Prints progress.")
        {
            settingsArgument, jobName, runId, dataDirectory, store,
        };
        command.SetAction(async (result, ct) =>
        {
            var tokens = result.GetValue(settingsArgument) ?? [];
            if (tokens.FirstOrDefault(t => !SparkwatchCommandLine.IsSetting(t)) is { } token) return SparkwatchCommandLine.RefuseToken(console, "rebuild", token);
            var (job, run) = (result.GetValue(jobName), result.GetValue(runId));
            if ((job is null) != (run is null))
            {
                console.MarkupLine("[red]Give both --job-name and --run-id to rebuild one run, or neither to rebuild all runs.[/]");
                return SparkwatchCommandLine.UsageError;
            }
            if (SparkwatchCommandLine.ReadStoreOptions(console, result.GetValue(dataDirectory), result.GetValue(store), tokens, out _) is not { } options)
            {
                return SparkwatchCommandLine.UsageError;
            }
            return await ExecuteAsync(job is null ? null : new RunKey(job, run!), options, console, ct);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(RunKey? only, SparkwatchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var store = SparkwatchServiceExtensions.CreateStore(options);
        await store.InitializeAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var rebuilt = new List<RunKey>();
        var runs = await ((IRunModelRebuilder)store).RebuildModelAsync(only, (run, events) =>
        {
            rebuilt.Add(run);
            console.MarkupLineInterpolated($"rebuilt {run.JobName}/{run.RunId}: {events} events ({clock.Elapsed.TotalSeconds:0.0} s)");
        }, cancellationToken);
        console.MarkupLineInterpolated($"{runs} run(s) rebuilt in {clock.Elapsed.TotalSeconds:0.0} s.");
        if (options.Sinks.KeepStageSummaries && rebuilt.Count > 0) await KeepStageSummariesAsync((IRunModelReader)store, options, rebuilt, console, cancellationToken);
        return runs == 0 && only is not null ? 1 : 0;
    }

    // The rebuild dropped the runs' kept task summaries with their model: keep those of every finished stage again, as
    // the model sink does when a stage completes (Sinks:KeepStageSummaries), so no first read pays the scan.
    private static async Task KeepStageSummariesAsync(IRunModelReader reader, SparkwatchOptions options, List<RunKey> rebuilt, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var api = new SparkApi(reader, options.Limits.TaskSummaryMemoryBytes);
        // Runs without an application id have no stages to serve.
        var runPks = (await reader.FindRunsAsync(null, rebuilt.Count == 1 ? rebuilt[0].JobName : null, cancellationToken))
            .ToDictionary(r => new RunKey(r.JobName, r.RunId), r => r.RunPk);
        var rows = 0;
        foreach (var run in rebuilt)
        {
            if (runPks.TryGetValue(run, out var runPk)) rows += await api.KeepRunSummariesAsync(runPk, cancellationToken);
        }
        console.MarkupLineInterpolated($"{rows} task summaries of finished stages kept in {clock.Elapsed.TotalSeconds:0.0} s (Sinks:KeepStageSummaries).");
    }
}
