using Sparkwatch.Commands;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>The three ways a log reaches the store, run the way a user runs them, against a server under test.</summary>
public static class Senders
{
    /// <summary><c>sparkwatch import</c> of <paramref name="paths"/> into the store of <paramref name="server"/>'s data folder.</summary>
    public static async Task<string> ImportAsync(ServerUnderTest server, params string[] paths)
    {
        var console = new TestConsole();
        var exit = await ImportCommand.RunAsync([.. paths, "--data-dir", server.DataDirectory, .. await TestStore.ServerArgsAsync(server.DataDirectory)], console.Console);
        Assert.True(exit == 0, console.Output);
        return console.Output;
    }

    /// <summary><c>sparkwatch replay</c> of <paramref name="paths"/> to <paramref name="server"/>.</summary>
    public static async Task<string> ReplayAsync(ServerUnderTest server, params string[] paths)
    {
        var console = new TestConsole();
        var exit = await ReplayCommand.RunAsync([.. paths, "--url", server.BaseAddress.ToString(), "--batch", "50"], console.Console);
        Assert.True(exit == 0, console.Output);
        return console.Output;
    }

    /// <summary><c>sparkwatch follow</c> of a folder holding copies of <paramref name="logs"/>, until it reports every log complete.</summary>
    public static async Task<string> FollowAsync(ServerUnderTest server, params string[] logs)
    {
        using var folder = TestPaths.NewTempFolder();
        foreach (var log in logs) File.Copy(log, Path.Combine(folder.Path, Path.GetFileName(log)));
        var console = new TestConsole();
        using var stop = new CancellationTokenSource();
        var follower = FollowCommand.RunAsync(
            [folder.Path, "--url", server.BaseAddress.ToString(), "--state", Path.Combine(folder.Path, ".state.json"), "--interval", "20", "--batch", "50"],
            console.Console, stop.Token);
        for (var i = 0; i < 600 && !logs.All(l => console.Output.Contains($"{Path.GetFileName(l)}: complete", StringComparison.Ordinal)); i++) await Task.Delay(50);
        stop.Cancel();
        Assert.Equal(0, await follower.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(logs.All(l => console.Output.Contains($"{Path.GetFileName(l)}: complete", StringComparison.Ordinal)), console.Output);
        return console.Output;
    }
}
