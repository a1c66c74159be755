using System.CommandLine;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Sparkwatch.Hosting;

namespace Sparkwatch.Commands;

/// <summary>
/// The one command line of the executable: <c>serve</c> (also what runs when no command is named), <c>import</c>,
/// <c>replay</c>, <c>follow</c> and <c>rebuild</c>, each with <c>--help</c>.
/// </summary>
public static class SparkwatchCommandLine
{
    /// <summary>The exit code of a command line that cannot be run as written (unknown option, missing argument, bad setting).</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/> (as given to the executable) and runs the command; returns the exit code.</summary>
    public static Task<int> InvokeAsync(string[] args, IAnsiConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= AnsiConsole.Console;
        var root = new RootCommand("Sparkwatch receives the events Spark applications stream while they run, keeps them and answers questions " +
            "about jobs and runs. With no command it serves (see 'serve'). Any setting can also be given as --Sparkwatch:<Setting>=value " +
            "(docs/configuration.md).")
        {
            ServeCommand.Create(console), ImportCommand.Create(console), ReplayCommand.Create(console), FollowCommand.Create(console),
            RebuildCommand.Create(console),
        };
        ServeCommand.MakeDefault(root, console);
        return InvokeAsync(root, args, console, cancellationToken);
    }

    /// <summary>Runs the single <paramref name="command"/> with <paramref name="args"/> (what follows its name), as the executable would.</summary>
    internal static Task<int> InvokeAsync(Command command, string[] args, IAnsiConsole console, CancellationToken cancellationToken) =>
        InvokeAsync(new RootCommand { command }, [command.Name, .. args], console, cancellationToken);

    private static async Task<int> InvokeAsync(RootCommand root, string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // '@file' is a path here, not a response file.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var writer = console.Profile.Out.Writer;
        var invocation = new InvocationConfiguration { Output = writer, Error = writer };
        // The server stops on Ctrl+C/SIGTERM the ASP.NET Core way (graceful, no 2 s cut-off); the other commands via the token.
        if (ServeCommand.Runs(result)) invocation.ProcessTerminationTimeout = null;
        var exitCode = await result.InvokeAsync(invocation, cancellationToken);
        return result.Errors.Count > 0 ? UsageError : exitCode;
    }

    /// <summary>The settings a command passes to the configuration, written <c>--Section:Key=value</c>.</summary>
    internal static Argument<string[]> SettingsArgument() => new("settings")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "Any setting, written --Sparkwatch:<Setting>=value (or --Logging:…=value); see docs/configuration.md",
    };

    /// <summary>True when <paramref name="token"/> is a setting for the configuration: <c>--Section:Key=value</c>.</summary>
    internal static bool IsSetting(string token) => token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=') > 2;

    /// <summary>Reports <paramref name="token"/> as neither an argument, an option nor a setting of <paramref name="command"/>.</summary>
    internal static int RefuseToken(IAnsiConsole console, string command, string token)
    {
        console.MarkupLineInterpolated($"[red]'{token}' is not an argument or option of '{command}'. Settings are written --Sparkwatch:<Setting>=value; see '{command} --help'.[/]");
        return UsageError;
    }

    /// <summary>
    /// The settings of a command that opens the store itself (<c>import</c>, <c>rebuild</c>): its <c>--data-dir</c> and
    /// <c>--store</c> flags and <c>--Section:Key=value</c> settings, read and validated as the server's; <c>null</c>, with
    /// the reasons printed, when they are not valid.
    /// </summary>
    internal static SparkwatchOptions? ReadStoreOptions(IAnsiConsole console, string? dataDirectory, string? store, IEnumerable<string> settings,
        out string[] arguments)
    {
        arguments = [.. Flag("--data-dir", dataDirectory), .. Flag("--store", store), .. settings];
        try
        {
            return SparkwatchConfiguration.ReadOptions(arguments);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) console.MarkupLineInterpolated($"[red]{failure}[/]");
            return null;
        }
    }

    private static string[] Flag(string name, string? value) => value is null ? [] : [name, value];
}
