using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Bench.Tests;

/// <summary>Runs the harness at its smallest size (2 s of ingest) with <c>extraArgs</c>; returns its result file and what it printed.</summary>
public static class SmokeRun
{
    public static async Task<(JsonDocument Result, string Output)> RunAsync(params string[] extraArgs)
    {
        using var folder = TestPaths.NewTempFolder();
        var resultFile = Path.Combine(folder.Path, "result.json");
        var output = new StringWriter();
        var exitCode = await BenchCommand.RunAsync(["--smoke", "--ingest-seconds", "2", "--half-load-seconds", "1", .. extraArgs, "--out", resultFile], output);
        Assert.True(exitCode == 0, output.ToString());
        return (JsonDocument.Parse(await File.ReadAllTextAsync(resultFile)), output.ToString());
    }
}
