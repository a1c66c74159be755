using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary><c>sparkwatch import</c> of the archive root: the archive is a valid Spark log folder holding exactly what was served.</summary>
public sealed class ImportArchiveTests
{
    [Fact]
    public async Task ImportingTheArchiveRootGivesBackEveryRunsEventsByteForByteInOrder()
    {
        using var folder = new TempFolder();
        var first = Path.Combine(folder.Path, "first");
        var archive = Path.Combine(folder.Path, "archive");
        // The shared logs imported, then the listener capture posted: the archive sink takes both (stored runs are backfilled).
        await ImportAsync(first, [.. SparkEventLog.SharedLogPaths()]);
        List<string> original;
        await using (var server = await ServerUnderTest.StartAsync(first, "--Sparkwatch:Store=sqlite"))
        {
            var client = new ListenerClient(server.Client);
            foreach (var envelope in File.ReadAllLines(TestPaths.ListenerCapture)) await client.PostOkAsync(envelope);
            await new SparkwatchApi(server.Client).WaitForSinkAsync("archive", TimeSpan.FromSeconds(120));
            original = await AllRunsAsync(server);
        }
        Directory.Move(Path.Combine(first, "archive"), archive);

        var second = Path.Combine(folder.Path, "second");
        await ImportAsync(second, archive);
        await using var reader = await ServerUnderTest.StartAsync(second, "--Sparkwatch:Store=sqlite");

        Assert.True(original.Count >= 9, $"only {original.Count} runs");
        Assert.Equal(original, await AllRunsAsync(reader));
    }

    private static async Task ImportAsync(string dataDirectory, params string[] paths)
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(TimeSpan.FromMinutes(3), new Dictionary<string, string?>(),
            ["import", .. paths, "--data-dir", dataDirectory]);
        Assert.True(exitCode == 0, output);
    }

    /// <summary>Every run's served events, one string per run, sorted (import names runs by their application, not as they were named).</summary>
    private static async Task<List<string>> AllRunsAsync(ServerUnderTest server)
    {
        var api = new SparkwatchApi(server.Client);
        var runs = new List<string>();
        foreach (var job in await api.AllJobNamesAsync())
        {
            foreach (var run in await api.AllRunIdsAsync(job)) runs.Add(string.Join('\n', await api.EventsAsync(job, run)));
        }
        runs.Sort(StringComparer.Ordinal);
        return runs;
    }
}
