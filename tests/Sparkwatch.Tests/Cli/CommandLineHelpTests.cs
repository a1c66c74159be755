using System.CommandLine;
using Sparkwatch.Commands;
using Sparkwatch.Testing;
using Spectre.Console;

namespace Sparkwatch.Tests.Cli;

/// <summary>One command line: <c>--help</c> explains every command and option instead of starting the server.</summary>
public sealed class CommandLineHelpTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task Help_lists_the_commands_and_exits_without_serving()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(TimeSpan.FromSeconds(30), NoEnvironment, "--help");

        Assert.Equal(0, exitCode);
        foreach (var command in (string[])["serve", "import", "replay", "follow"]) Assert.Contains(command, output);
        Assert.DoesNotContain("Now listening", output);
    }

    [Fact]
    public async Task Each_command_has_help_describing_every_option_and_argument()
    {
        var console = AnsiConsole.Console;
        foreach (var command in (Command[])[ServeCommand.Create(console), ImportCommand.Create(console), ReplayCommand.Create(console), FollowCommand.Create(console)])
        {
            var (exitCode, output) = await InvokeAsync(command.Name, "--help");

            Assert.Equal(0, exitCode);
            foreach (var symbol in command.Options.Cast<Symbol>().Concat(command.Arguments))
            {
                Assert.False(string.IsNullOrWhiteSpace(symbol.Description), $"{command.Name} {symbol.Name} has no description");
                Assert.Contains(symbol.Description!, output);
            }
        }
    }

    [Fact]
    public async Task Unknown_command_is_refused_without_serving()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(TimeSpan.FromSeconds(30), NoEnvironment, "improt", "/var/log/spark-events");

        Assert.Equal(SparkwatchCommandLine.UsageError, exitCode);
        Assert.Contains("'improt' is not an argument or option", output);
    }

    [Fact]
    public async Task Unknown_option_of_a_command_is_refused_with_its_usage()
    {
        var (exitCode, output) = await InvokeAsync("import", TestPaths.DelightExampleLog, "--jobname", "x");

        Assert.Equal(SparkwatchCommandLine.UsageError, exitCode);
        Assert.Contains("'--jobname' is not an argument or option of 'import'", output);
    }

    private static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        var exitCode = await SparkwatchCommandLine.InvokeAsync(args, console);
        return (exitCode, output.ToString());
    }
}
