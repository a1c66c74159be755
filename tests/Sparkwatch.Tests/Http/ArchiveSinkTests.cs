using System.Text;
using System.Text.Json;
using Sparkwatch.EventLogs;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>The archive sink in the running service: what the listener sends ends up archived as Spark event logs.</summary>
public sealed class ArchiveSinkTests
{
    [Fact]
    public async Task The_listener_capture_posted_to_collect_is_archived_as_complete_Spark_logs_of_the_events_served()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var runIds = new HashSet<string>();
        foreach (var line in File.ReadAllLines(TestPaths.ListenerCapture))
        {
            runIds.Add(JsonDocument.Parse(line).RootElement.GetProperty("run_id").GetString()!);
            await client.PostOkAsync(line);
        }
        var api = new SparkwatchApi(server.Client);
        await api.WaitForSinkAsync("archive", TimeSpan.FromSeconds(60));

        var logs = EventLogFiles.Discover(Path.Combine(server.DataDirectory, "archive"));
        Assert.Equal(runIds.Count, logs.Count);
        foreach (var runId in runIds)
        {
            var log = Assert.Single(logs, l => l.Name.StartsWith($"eventlog_v2_{runId}_sw", StringComparison.Ordinal));
            Assert.False(log.InProgress);
            Assert.All(log.Parts, p => Assert.EndsWith(".zstd", p));
            Assert.Equal(await api.EventsAsync("spark-pi", runId), EventLogFiles.ReadLines(log).Select(l => Encoding.UTF8.GetString(l.Span)));
        }
    }
}
