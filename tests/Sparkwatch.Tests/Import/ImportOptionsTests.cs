using System.Net;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Import;

public sealed class ImportOptionsTests
{
    [Fact]
    public async Task Job_name_and_run_id_options_override_the_names_in_the_log()
    {
        using var data = TestPaths.NewTempFolder();

        var (exitCode, _) = await ImportedRuns.RunAsync(TestPaths.DelightExampleLog, "--job-name", "nightly etl", "--run-id", "run/1", "--data-dir", data.Path);

        Assert.Equal(0, exitCode);
        await using var server = await ServerUnderTest.StartAsync(data.Path);
        var events = await server.Client.GetStringAsync(ImportedLogsAreServedLikeCollectedOnes.EventsPath("nightly etl", "run/1"));
        Assert.Equal(File.ReadAllLines(TestPaths.DelightExampleLog).Length, events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        using var original = await server.Client.GetAsync("/job/PythonCountWords");
        Assert.Equal(HttpStatusCode.NotFound, original.StatusCode);
    }

    [Fact]
    public async Task Unreadable_log_is_reported_with_its_reason_and_the_others_are_imported()
    {
        using var data = TestPaths.NewTempFolder();
        using var logs = TestPaths.NewTempFolder();
        var corrupt = Path.Combine(logs.Path, "local-1.lz4");
        File.WriteAllText(corrupt, "LZ4Block" + new string('x', 40)); // a block header with an impossible token
        var notALog = Path.Combine(logs.Path, "notes.txt");
        File.WriteAllText(notALog, "hello\n");

        var (exitCode, output) = await ImportedRuns.RunAsync(corrupt, notALog, TestPaths.DelightExampleLog, "--data-dir", data.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains($"could not read {corrupt}: {corrupt}: ", output);
        Assert.Contains("at byte 0", output);
        Assert.Contains($"could not read {notALog}: not a Spark event log", output);
        Assert.Contains("1 of 3 logs imported", output);
    }

    [Fact]
    public async Task Import_without_paths_explains_its_usage()
    {
        var (exitCode, output) = await ImportedRuns.RunAsync("--data-dir", "/tmp/unused");

        Assert.Equal(2, exitCode);
        Assert.Contains("import <paths>... [options]", output);
    }
}
