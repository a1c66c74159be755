using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Sparkwatch.Commands;
using Sparkwatch.Model;
using Sparkwatch.Storage;
using Sparkwatch.Testing;
using Sparkwatch.Tests.Import;

namespace Sparkwatch.Tests.SparkApi;

/// <summary><c>sparkwatch rebuild</c> recomputes a run's model from its stored events, with progress.</summary>
public sealed class RebuildCommandTests
{
    [Fact]
    public async Task Rebuilt_model_answers_as_before_and_counts_nothing_twice()
    {
        using var data = TestPaths.NewTempFolder();
        var (exitCode, output) = await ImportedRuns.RunAsync(ShsExpectations.Logs[0], "--data-dir", data.Path);
        Assert.True(exitCode == 0, output);

        var (rebuildExit, rebuildOutput) = await RebuildAsync("--job-name", "Spark shell", "--run-id", "local-1430917381534", "--data-dir", data.Path);

        Assert.True(rebuildExit == 0, rebuildOutput);
        Assert.Contains("rebuilt Spark shell/local-1430917381534: 231 events", rebuildOutput, StringComparison.Ordinal);
        Assert.Contains("1 run(s) rebuilt", rebuildOutput, StringComparison.Ordinal);
        // The rebuild dropped the kept task summaries with the model and kept them again: 3 lists of each of 2 stages.
        Assert.Contains("6 task summaries of finished stages kept", rebuildOutput, StringComparison.Ordinal);
        await using var server = await ServerUnderTest.StartAsync(data.Path);
        var reader = (IRunModelReader)server.Server.App.Services.GetRequiredService<IEventStore>();
        var runPk = (await reader.FindRunsAsync("local-1430917381534", null, CancellationToken.None)).Single().RunPk;
        Assert.Equal(6, (await reader.ListAsync(runPk, -1, ModelKind.TaskSummary, CancellationToken.None)).Count);
        await ShsExpectations.AssertMatchesAsync(server.Client, "applications/local-1430917381534/stages/0/0/taskList", "stage_task_list_expectation.json");
        var job = (await LiveRunTests.GetJsonAsync(server.Client, "/api/v1/applications/local-1430917381534/jobs"))[0];
        Assert.Equal((0, 2), (job.GetProperty("numActiveStages").GetInt32(), job.GetProperty("numCompletedStages").GetInt32()));
    }

    private static async Task<(int ExitCode, string Output)> RebuildAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 400;
        var storeArgs = await TestStore.ServerArgsAsync(args[^1]);
        var exitCode = await RebuildCommand.RunAsync([.. args, .. storeArgs], console);
        return (exitCode, output.ToString());
    }
}
