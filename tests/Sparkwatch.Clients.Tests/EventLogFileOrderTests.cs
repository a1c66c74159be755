using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>
/// A Spark event log's order is the order Spark's listener bus delivered it: imported or replayed, a log reads back
/// as its file, line for line (secrets redacted), even where its Timestamps go backwards.
/// </summary>
public sealed class EventLogFileOrderTests
{
    // Timestamps that go back, lines without one at the start and in the middle.
    private static readonly string[] Backwards =
    [
        """{"Event":"SparkListenerLogStart","Spark Version":"3.5.0"}""",
        """{"Event":"SparkListenerApplicationStart","App Name":"backwards","App ID":"local-backwards","Timestamp":5000,"User":"spark"}""",
        """{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":5100,"Stage Infos":[],"Stage IDs":[]}""",
        """{"Event":"SparkListenerExecutorAdded","Timestamp":4000,"Executor ID":"1","Executor Info":{"Host":"h","Total Cores":1,"Log Urls":{}}}""",
        """{"Event":"SparkListenerBlockManagerAdded","Block Manager ID":{"Executor ID":"1","Host":"h","Port":1},"Maximum Memory":1,"Timestamp":4500}""",
        """{"Event":"SparkListenerUnpersistRDD","RDD ID":3}""",
        """{"Event":"SparkListenerExecutorRemoved","Timestamp":4999,"Executor ID":"1","Removed Reason":"gone"}""",
        """{"Event":"SparkListenerApplicationEnd","Timestamp":6000}""",
    ];

    private static async Task AssertEveryRunReadsBackAsItsFileAsync(ServerUnderTest server, IEnumerable<EventLogs.EventLog> logs)
    {
        foreach (var run in logs.GroupBy(SharedLogs.ExpectedRun))
        {
            var lines = run.OrderBy(l => l.Name, StringComparer.Ordinal).SelectMany(SharedLogs.Lines).ToList();
            var difference = FileOrder.FirstDifference(lines, await RunReader.EventsAsync(server.Client, run.Key.Job, run.Key.Run));
            Assert.True(difference is null, $"{run.Key}: {difference}");
        }
    }

    [Fact]
    public async Task Every_shared_log_imported_reads_back_as_its_file()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await Senders.ImportAsync(server, TestPaths.SparkEvents, TestPaths.DelightExampleLog);
        await AssertEveryRunReadsBackAsItsFileAsync(server, SharedLogs.All);
    }

    [Fact]
    public async Task Every_shared_log_replayed_reads_back_as_its_file()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await Senders.ReplayAsync(server, TestPaths.SparkEvents, TestPaths.DelightExampleLog);
        await AssertEveryRunReadsBackAsItsFileAsync(server, SharedLogs.All);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("replay")]
    [InlineData("follow")]
    public async Task A_log_whose_timestamps_go_backwards_reads_back_as_its_file(string sender)
    {
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "local-backwards");
        File.WriteAllLines(path, Backwards);
        await using var server = await ServerUnderTest.StartAsync();

        await (sender switch { "import" => Senders.ImportAsync(server, path), "replay" => Senders.ReplayAsync(server, path), _ => Senders.FollowAsync(server, path) });

        Assert.Null(FileOrder.FirstDifference(Backwards, await RunReader.EventsAsync(server.Client, "backwards", "local-backwards")));
    }
}
