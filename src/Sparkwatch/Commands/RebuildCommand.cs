using System.Diagnostics;
using Spectre.Console;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;
using Sparkwatch.Storage;

namespace Sparkwatch.Commands;

/// <summary><c>sparkwatch rebuild [--job-name J --run-id R] [--data-dir DIR]</c>: recomputes the run model from stored events.</summary>
public static class RebuildCommand
{
    private const string Usage = "Usage: sparkwatch rebuild [--job-name NAME --run-id ID] [--data-dir DIR] [--Sparkwatch:Setting=value …]";

    /// <summary>Parses <paramref name="args"/> (what follows <c>rebuild</c>), rebuilds, prints progress; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        string? jobName = null, runId = null;
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--job-name" or "--run-id" && i + 1 < args.Length)
            {
                if (args[i] == "--job-name") jobName = args[++i];
                else runId = args[++i];
            }
            else
            {
                configuration.Add(args[i]);
            }
        }
        if ((jobName is null) != (runId is null))
        {
            console.MarkupLine("[red]Give both --job-name and --run-id to rebuild one run, or neither to rebuild all runs.[/]");
            console.WriteLine(Usage);
            return 2;
        }
        var options = ImportArguments.LoadOptions([.. configuration]);
        await using var store = SparkwatchServiceExtensions.CreateStore(options);
        await store.InitializeAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var runs = await ((IRunModelRebuilder)store).RebuildModelAsync(jobName is null ? null : new RunKey(jobName, runId!),
            (run, events) => console.MarkupLineInterpolated($"rebuilt {run.JobName}/{run.RunId}: {events} events ({clock.Elapsed.TotalSeconds:0.0} s)"), cancellationToken);
        console.MarkupLineInterpolated($"{runs} run(s) rebuilt in {clock.Elapsed.TotalSeconds:0.0} s.");
        return runs == 0 && jobName is not null ? 1 : 0;
    }
}
