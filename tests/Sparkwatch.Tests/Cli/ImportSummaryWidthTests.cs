using Sparkwatch.Testing;
using Sparkwatch.Tests.Import;

namespace Sparkwatch.Tests.Cli;

/// <summary>The import summary reads in an 80-column terminal: no line wider, and every name and count whole on its line.</summary>
public sealed class ImportSummaryWidthTests
{
    [Fact]
    public async Task Summary_fits_80_columns_with_every_name_whole()
    {
        using var data = TestPaths.NewTempFolder();

        var (exitCode, output) = await ImportedRuns.RunAtWidthAsync(80, [.. ImportedRuns.AllLogs, "--data-dir", data.Path]);

        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n');
        Assert.All(lines, line => Assert.True(line.TrimEnd('\r').Length <= 80, $"wider than 80 columns: '{line}'"));
        foreach (var log in ImportedRuns.Expected())
        {
            Assert.Contains(lines, line => line.Contains(log.RunId, StringComparison.Ordinal) && line.Contains(log.JobName, StringComparison.Ordinal));
            Assert.Contains(lines, line => line.Contains($"{log.Lines.Length:N0} lines", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Wide_terminal_gets_the_summary_as_a_table()
    {
        using var data = TestPaths.NewTempFolder();

        var (exitCode, output) = await ImportedRuns.RunAtWidthAsync(400, [.. ImportedRuns.AllLogs, "--data-dir", data.Path]);

        Assert.True(exitCode == 0, output);
        Assert.Contains(output.Split('\n'), line => line.Contains("already stored") && line.Contains("quarantined") && line.Contains("attempt"));
    }
}
