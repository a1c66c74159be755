using Spectre.Console;

namespace Sparkwatch.Senders.Tests;

/// <summary>A plain, non-interactive console whose output the test can read.</summary>
public sealed class TestConsole
{
    private readonly StringWriter _writer = new();
    private readonly TextWriter _sync;

    public TestConsole()
    {
        _sync = TextWriter.Synchronized(_writer);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_sync),
        });
        Console.Profile.Width = 200;
    }

    public IAnsiConsole Console { get; }

    public string Output
    {
        get { lock (_sync) return _writer.ToString(); }
    }
}
