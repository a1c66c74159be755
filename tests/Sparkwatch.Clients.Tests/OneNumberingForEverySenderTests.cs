using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>
/// import, replay and follow number a log's lines the same way (from 1 in each attempt's log), so the same logs sent any
/// way, any number of times, in any order, store each event once — two attempts of one run as two streams of it.
/// </summary>
public sealed class OneNumberingForEverySenderTests
{
    // Two attempts of one application (one run), and a single-attempt Spark 3 log.
    private static readonly string[] Logs =
        [Path.Combine(TestPaths.SparkEvents, "local-1430917381535_1"), Path.Combine(TestPaths.SparkEvents, "local-1430917381535_2"), TestPaths.DelightExampleLog];

    [Theory]
    [InlineData("import", "replay", "follow", "import")]
    [InlineData("follow", "replay", "import")]
    [InlineData("replay", "import", "follow", "replay")]
    public async Task The_same_logs_through_every_sender_in_any_order_are_stored_once(params string[] senders)
    {
        await using var server = await ServerUnderTest.StartAsync();
        foreach (var sender in senders)
        {
            await (sender switch
            {
                "import" => Senders.ImportAsync(server, Logs),
                "replay" => Senders.ReplayAsync(server, Logs),
                _ => Senders.FollowAsync(server, Logs),
            });
        }

        foreach (var run in Logs.SelectMany(EventLogs.EventLogFiles.Discover).GroupBy(SharedLogs.ExpectedRun))
        {
            var lines = run.OrderBy(l => l.Name, StringComparer.Ordinal).SelectMany(SharedLogs.Lines).ToList();
            var facts = await RunReader.RunAsync(server.Client, run.Key.Job, run.Key.Run);
            Assert.Equal(lines.Count, facts!["event_count"]!.GetValue<long>());
            Assert.Null(FileOrder.FirstDifference(lines, await RunReader.EventsAsync(server.Client, run.Key.Job, run.Key.Run)));
        }
    }
}
