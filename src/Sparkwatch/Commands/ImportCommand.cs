using System.CommandLine;
using System.CommandLine.Help;
using System.Diagnostics;
using Sparkwatch.Ingestion;
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
    /// <summary>Runs the command with <paramref name="args"/> (what follows <c>import</c>); returns the process exit code
    /// (0 all imported, 1 some log failed, 2 bad usage or settings).</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        return SparkwatchCommandLine.InvokeAsync(Create(console), args, console, cancellationToken);
    }

    /// <summary>The <c>import</c> command, printing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Event log files, rolling log folders, or folders holding them; settings written --Sparkwatch:<Setting>=value may be among them",
            Arity = ArgumentArity.OneOrMore,
        };
        var jobName = NonEmpty(new Option<string?>("--job-name") { Description = "Job name for every log (default: spark.datamechanics.job.name, else spark.app.name of each log)" });
        var runId = NonEmpty(new Option<string?>("--run-id") { Description = "Run id for every log (default: spark.datamechanics.run.id, else the application id)" });
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Folder of the embedded SQLite store, as the server's --data-dir (Sparkwatch:DataDirectory)" };
        var store = new Option<string?>("--store") { Description = "sqlite (default) or postgres, with --Sparkwatch:Postgres:ConnectionString=… (Sparkwatch:Store)" };
        var command = new Command("import", "Backfill Spark event logs straight into the store the server uses (no HTTP; the server may be running). " +
            "Importing a log again stores nothing new. Settings come from the same places as the server's, --Sparkwatch:<Setting>=value included.")
        {
            paths, jobName, runId, dataDirectory, store,
        };
        command.SetAction(async (result, ct) =>
        {
            // The paths argument also receives the --Section:Key=value settings (S.CL takes them for values).
            var tokens = result.GetValue(paths)!;
            var settingArgs = tokens.Where(SparkwatchCommandLine.IsSetting).ToArray();
            var logPaths = tokens.Where(t => !SparkwatchCommandLine.IsSetting(t)).ToList();
            if (logPaths.FirstOrDefault(p => p.StartsWith('-')) is { } token) return SparkwatchCommandLine.RefuseToken(console, "import", token);
            if (logPaths.Count == 0)
            {
                console.MarkupLine("[red]Name at least one event log file or folder to import.[/]");
                new HelpAction().Invoke(result);
                return SparkwatchCommandLine.UsageError;
            }
            if (SparkwatchCommandLine.ReadStoreOptions(console, result.GetValue(dataDirectory), result.GetValue(store), settingArgs, out var settings) is not { } options)
            {
                return SparkwatchCommandLine.UsageError;
            }
            return await ExecuteAsync(new ImportArguments(logPaths, result.GetValue(jobName), result.GetValue(runId), settings), options, console, ct);
        });
        return command;
    }

    private static Option<string?> NonEmpty(Option<string?> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => t.Value.Length == 0)) r.AddError($"{option.Name} needs a value.");
        });
        return option;
    }

    private static async Task<int> ExecuteAsync(ImportArguments arguments, SparkwatchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
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
        ImportSummary.Write(console, results);
        var total = results.Aggregate(new ImportCounts(0, 0, 0, 0), (a, r) => new ImportCounts(a.Lines + r.Counts.Lines, a.Stored + r.Counts.Stored,
            a.Duplicates + r.Counts.Duplicates, a.Quarantined + r.Counts.Quarantined));
        console.MarkupLine(Markup.Escape(
            $"{results.Count(r => r.Error is null)} of {results.Count + failures.Count - results.Count(r => r.Error is not null)} logs imported into {StoreName(options)}: " +
            $"{total.Lines:N0} lines, {total.Stored:N0} new events, {total.Duplicates:N0} already stored, {total.Quarantined:N0} quarantined, " +
            $"in {clock.Elapsed.TotalSeconds:N1} s ({total.Lines / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} lines/s)."));
        return failures.Count == 0 ? 0 : 1;
    }

    private static string StoreName(SparkwatchOptions options) =>
        options.Store == StoreKind.Postgres ? "the PostgreSQL store" : SparkwatchServiceExtensions.SqliteOptions(options).Path;
}
