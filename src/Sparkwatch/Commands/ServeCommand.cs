using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Sparkwatch.Hosting;

namespace Sparkwatch.Commands;

/// <summary>
/// <c>sparkwatch [serve] [--urls URL] [--data-dir DIR] [--store sqlite|postgres] [--role R] [--api-key K] [--Sparkwatch:Setting=value …]</c>:
/// the service. The options are read by the configuration (<see cref="SparkwatchConfiguration"/>) exactly as written,
/// so they mean the same here as in <see cref="SparkwatchServer.Create(string[])"/>.
/// </summary>
public static class ServeCommand
{
    private const string Description = "Run the service: receive events from Spark listeners and serve the API (the default command).";

    /// <summary>The <c>serve</c> command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("serve", Description);
        Configure(command, console, hideSettings: false);
        return command;
    }

    /// <summary>Makes <paramref name="root"/> serve when no command is named, with the same options.</summary>
    public static void MakeDefault(RootCommand root, IAnsiConsole console) => Configure(root, console, hideSettings: true);

    /// <summary>True when <paramref name="result"/> runs the service.</summary>
    internal static bool Runs(ParseResult result) => result.CommandResult.Command is { Name: "serve" } or RootCommand { Action: not null };

    private static void Configure(Command command, IAnsiConsole console, bool hideSettings)
    {
        foreach (var option in Options()) command.Options.Add(option);
        // Hidden on the root, where it would read as an argument before the command's name in every usage line.
        var settings = SparkwatchCommandLine.SettingsArgument();
        settings.Hidden = hideSettings;
        command.Arguments.Add(settings);
        command.SetAction((result, ct) => RunAsync(result, result.GetValue(settings) ?? [], console, ct));
    }

    private static IEnumerable<Option> Options() =>
    [
        new Option<string>("--urls", "--listen")
        {
            Description = "Addresses to listen on, ';'-separated (default http://localhost:5000). ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS " +
                "and the Sparkwatch:Listen setting work too; this flag wins over them.",
        },
        new Option<string>("--data-dir") { Description = "Folder of the embedded SQLite store (Sparkwatch:DataDirectory, default ./data)" },
        new Option<string>("--store") { Description = "sqlite (default) or postgres, with --Sparkwatch:Postgres:ConnectionString=… (Sparkwatch:Store)" },
        new Option<string>("--role") { Description = "collector (ingest only), query (read API only) or writer (stores what collectors published to JetStream; needs --Sparkwatch:Broker:Kind=nats); all when not given (Sparkwatch:Roles)" },
        new Option<string>("--api-key") { Description = "A key accepted in X-API-key (Sparkwatch:ApiKeys); more keys via --Sparkwatch:ApiKeys:1=…" },
    ];

    private static async Task<int> RunAsync(ParseResult result, string[] settings, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (settings.FirstOrDefault(s => !SparkwatchCommandLine.IsSetting(s)) is { } token) return SparkwatchCommandLine.RefuseToken(console, "serve", token);
        // The tokens as written (without the command's name): the configuration reads the flags and settings itself.
        string[] args = [.. result.Tokens.Where(t => t.Type != TokenType.Command).Select(t => t.Value)];
        try
        {
            await using var server = SparkwatchServer.Create(args);
            await server.RunAsync(cancellationToken);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            console.MarkupLine("[red]Sparkwatch cannot start, its settings are invalid:[/]");
            foreach (var failure in e.Failures) console.MarkupLineInterpolated($"[red]  {failure}[/]");
            return SparkwatchCommandLine.UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            // A port in use, a data folder it may not write, a database it cannot reach.
            console.MarkupLineInterpolated($"[red]Sparkwatch cannot start: {e.Message}[/]");
            return 1;
        }
    }
}
