using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Import;

public sealed class ReimportTests
{
    [Fact]
    public async Task Importing_the_same_logs_again_stores_nothing_new_and_changes_nothing_served()
    {
        using var data = TestPaths.NewTempFolder();
        await ImportedRuns.RunAsync([.. ImportedRuns.AllLogs, "--data-dir", data.Path]);
        var before = await ServedStateAsync(data.Path);

        var (exitCode, output) = await ImportedRuns.RunAsync([.. ImportedRuns.AllLogs, "--data-dir", data.Path]);

        Assert.Equal(0, exitCode);
        Assert.Contains(" 0 new events", output);
        Assert.Equal(before, await ServedStateAsync(data.Path));
    }

    /// <summary>Everything the query API says about the imported runs: jobs, run lists with their facts, events.</summary>
    private static async Task<string> ServedStateAsync(string dataDirectory)
    {
        await using var server = await ServerUnderTest.StartAsync(dataDirectory);
        var state = new System.Text.StringBuilder(await server.Client.GetStringAsync("/job"));
        foreach (var run in ImportedRuns.Expected().Select(e => (e.JobName, e.RunId)).Distinct())
        {
            state.Append(await server.Client.GetStringAsync($"/job/{Uri.EscapeDataString(run.JobName)}"));
            state.Append(await server.Client.GetStringAsync(ImportedLogsAreServedLikeCollectedOnes.EventsPath(run.JobName, run.RunId)));
        }
        return state.ToString();
    }
}
