using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spectre.Console;
using Sparkwatch.Commands;
using Sparkwatch.EventLogs;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Import;

/// <summary>One attempt's log as the test reads it on its own: its run, its lines, and what the service must answer.</summary>
public sealed record ExpectedLog(string JobName, string RunId, long Attempt, string[] Lines, long? Start, long? End);

/// <summary>Helpers of the import tests: run the command like a user does, and work out what the service must serve.</summary>
public static class ImportedRuns
{
    /// <summary>Every event log of the shared data.</summary>
    public static readonly string[] AllLogs = [TestPaths.SparkEvents, TestPaths.DelightExampleLog];

    /// <summary>Runs <c>sparkwatch import</c> with <paramref name="args"/>; returns the exit code and what it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAtWidthAsync(400, args);

    /// <summary>Runs <c>sparkwatch import</c> in a terminal <paramref name="width"/> columns wide.</summary>
    public static async Task<(int ExitCode, string Output)> RunAtWidthAsync(int width, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        // The store the suite runs against (SQLite, or PostgreSQL in the test command's second pass), as the server gets it.
        var dataDirectory = Array.IndexOf(args, "--data-dir") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var storeArgs = dataDirectory is null ? [] : await TestStore.ServerArgsAsync(dataDirectory);
        var exitCode = await ImportCommand.RunAsync([.. args, .. storeArgs, "--Sparkwatch:RunModel=true"], console);
        return (exitCode, output.ToString());
    }

    /// <summary>Each log of the shared data read independently of the importer: run names from its events, attempt, lines.</summary>
    public static IReadOnlyList<ExpectedLog> Expected() =>
    [
        .. AllLogs.SelectMany(EventLogFiles.Discover).Select(log =>
        {
            var lines = EventLogFiles.ReadLines(log).Select(l => System.Text.Encoding.UTF8.GetString(l.Span)).ToArray();
            var events = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
            var start = events.First(e => (string?)e["Event"] == "SparkListenerApplicationStart");
            var env = events.First(e => (string?)e["Event"] == "SparkListenerEnvironmentUpdate");
            var end = events.FirstOrDefault(e => (string?)e["Event"] == "SparkListenerApplicationEnd");
            var attempt = (string?)start["App Attempt ID"];
            return new ExpectedLog((string)env["Spark Properties"]!["spark.app.name"]!, (string)start["App ID"]!, attempt is null ? 0 : long.Parse(attempt),
                lines, (long)start["Timestamp"]!, (long?)end?["Timestamp"]);
        }),
    ];

    /// <summary>
    /// The run's events in the order the service must serve them: each attempt's log in file order (generated_at is the
    /// running maximum of its Timestamps, from the log's first), the attempts merged by that time.
    /// </summary>
    public static string[] ServedOrder(IEnumerable<ExpectedLog> attempts) =>
    [
        .. attempts.OrderBy(a => a.Attempt).SelectMany(a =>
        {
            var time = a.Lines.Select(l => (long?)JsonNode.Parse(l)!["Timestamp"]).FirstOrDefault(t => t is not null) ?? 0;
            return a.Lines.Select(line => (Line: line, Time: time = Math.Max(time, (long?)JsonNode.Parse(line)!["Timestamp"] ?? time))).ToArray();
        }).OrderBy(e => e.Time).Select(e => e.Line),
    ];

    /// <summary>An environment update as Spark's default redaction leaves it, for comparison with what is served.</summary>
    public static JsonNode Redacted(string environmentUpdate)
    {
        var pattern = new Regex("secret|password|token|access[.]?key", RegexOptions.IgnoreCase);
        var node = JsonNode.Parse(environmentUpdate)!.AsObject();
        foreach (var (section, value) in node)
        {
            if (section == "Classpath Entries" || value is not JsonObject properties) continue;
            foreach (var key in properties.Select(p => p.Key).ToArray())
            {
                if (properties[key] is JsonValue v && v.TryGetValue<string>(out var text) && (pattern.IsMatch(key) || pattern.IsMatch(text)))
                {
                    properties[key] = "*********(redacted)";
                }
            }
        }
        return node;
    }
}
