using Sparkwatch.Ingestion;
using System.Diagnostics;
using Spectre.Console;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;

namespace Sparkwatch.Commands;

/// <summary>
/// <c>sparkwatch import &lt;files or folders&gt;… [--job-name NAME] [--run-id ID] [--data-dir DIR]</c>: backfills Spark event
/// logs straight into the configured store (no HTTP), idempotently. Settings come from the same places as the server's.
/// </summary>
public static class ImportCommand
{
    private const string Usage = "usage: sparkwatch import <event log files or folders>... [--job-name NAME] [--run-id ID] [--data-dir DIR] [--Sparkwatch:Setting=value ...]";

    /// <summary>Runs the command; returns the process exit code (0 all imported, 1 some log failed, 2 bad usage).</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        if (!ImportArguments.TryParse(args, out var arguments, out var error))
        {
            console.MarkupLine($"[red]{Markup.Escape(error!)}[/]");
            console.WriteLine(Usage);
            return 2;
        }
        var options = ImportArguments.LoadOptions(arguments.ConfigurationArgs);
        var failures = new List<(string Path, string Reason)>();
        var skipped = new List<(string Path, string Reason)>();
        var plans = ImportPlan.Make(arguments, options.Limits.MaxNameLength, failures, skipped);
        // A file named on the command line must be a log; one found in a folder may be anything else and is only skipped.
        failures.AddRange(skipped.Where(s => arguments.Paths.Contains(s.Path)));
        skipped.RemoveAll(s => arguments.Paths.Contains(s.Path));

        await using var store = SparkwatchServiceExtensions.CreateStore(options);
        await store.InitializeAsync(cancellationToken);
        var importer = new EventLogImporter(store, new EventNormalizer(SparkRedactor.FromSparkPattern(options.RedactionRegex)));
        var results = new List<(ImportPlan Plan, ImportCounts Counts, string? Error)>();
        var clock = Stopwatch.StartNew();

        await console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                foreach (var plan in plans)
                {
                    var task = context.AddTask(Markup.Escape(plan.Log.Name));
                    task.IsIndeterminate = true;
                    var started = Stopwatch.StartNew();
                    var latest = new ImportCounts(0, 0, 0, 0);
                    try
                    {
                        latest = await importer.ImportAsync(plan.Log, plan.Run, plan.FirstTime, counts =>
                        {
                            latest = counts;
                            var rate = counts.Lines / Math.Max(started.Elapsed.TotalSeconds, 0.001);
                            task.Description = Markup.Escape($"{plan.Log.Name}: {counts.Lines:N0} lines, {counts.Stored:N0} new ({rate:N0} lines/s)");
                        }, cancellationToken);
                        results.Add((plan, latest, null));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        results.Add((plan, latest, e.Message));
                        failures.Add((plan.Log.Parts.FirstOrDefault() ?? plan.Log.Name, $"{e.Message} (after {latest.Lines:N0} lines were stored)"));
                    }
                    task.StopTask();
                }
            });

        foreach (var (path, reason) in skipped) console.MarkupLine($"[yellow]skipped {Markup.Escape(path)}: {Markup.Escape(reason)}[/]");
        foreach (var (path, reason) in failures) console.MarkupLine($"[red]could not read {Markup.Escape(path)}: {Markup.Escape(reason)}[/]");
        console.Write(SummaryTable(results));
        var total = results.Aggregate(new ImportCounts(0, 0, 0, 0), (a, r) => new ImportCounts(a.Lines + r.Counts.Lines, a.Stored + r.Counts.Stored,
            a.Duplicates + r.Counts.Duplicates, a.Quarantined + r.Counts.Quarantined));
        console.MarkupLine(Markup.Escape(
            $"{results.Count(r => r.Error is null)} of {results.Count + failures.Count - results.Count(r => r.Error is not null)} logs imported into {StoreName(options)}: " +
            $"{total.Lines:N0} lines, {total.Stored:N0} new events, {total.Duplicates:N0} already stored, {total.Quarantined:N0} quarantined, " +
            $"in {clock.Elapsed.TotalSeconds:N1} s ({total.Lines / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} lines/s)."));
        return failures.Count == 0 ? 0 : 1;
    }

    private static Table SummaryTable(IEnumerable<(ImportPlan Plan, ImportCounts Counts, string? Error)> results)
    {
        var table = new Table().AddColumns("log", "job", "run", "attempt", "lines", "new", "already stored", "quarantined", "result");
        foreach (var column in table.Columns.Skip(4).Take(4)) column.RightAligned();
        foreach (var (plan, counts, error) in results)
        {
            table.AddRow(Markup.Escape(plan.Log.Name), Markup.Escape(plan.Run.JobName), Markup.Escape(plan.Run.RunId), Markup.Escape(plan.AttemptId ?? "-"),
                $"{counts.Lines:N0}", $"{counts.Stored:N0}", $"{counts.Duplicates:N0}", $"{counts.Quarantined:N0}",
                error is null ? (plan.Log.InProgress ? "[yellow]ok (in progress)[/]" : "[green]ok[/]") : "[red]failed[/]");
        }
        return table;
    }

    private static string StoreName(SparkwatchOptions options) =>
        options.Store.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? "the PostgreSQL store" : SparkwatchServiceExtensions.SqliteOptions(options).Path;
}
