using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>The real listener's captured traffic, replayed as it sent it, comes back whole.</summary>
public sealed class ListenerCaptureReplayTests
{
    private static readonly string[] CaptureLines = File.ReadAllLines(TestPaths.ListenerCapture);

    [Fact]
    public async Task Both_spark_pi_runs_are_listed_with_their_durations()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var line in CaptureLines) await client.PostOkAsync(line);
        var api = new SparkwatchApi(server.Client);

        Assert.Equal(["spark-pi"], await api.AllJobNamesAsync());
        Assert.Equal(["local-1634665776913", "local-1634665582417"], await api.AllRunIdsAsync("spark-pi"));
        var first = await api.DurationAsync("spark-pi", "local-1634665582417");
        var second = await api.DurationAsync("spark-pi", "local-1634665776913");
        Assert.Equal(4039, first.GetProperty("duration_ms").GetInt64());
        Assert.Equal(4065, second.GetProperty("duration_ms").GetInt64());
        Assert.Equal("completed", first.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Events_come_back_in_order_and_byte_identical_to_the_content_sent()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var line in CaptureLines) await client.PostOkAsync(line);
        var api = new SparkwatchApi(server.Client);

        foreach (var runId in new[] { "local-1634665582417", "local-1634665776913" })
        {
            var expected = CaptureLines.Select(l => JsonDocument.Parse(l).RootElement).Where(p => p.GetProperty("run_id").GetString() == runId)
                .SelectMany(p => p.GetProperty("messages").EnumerateArray())
                .Where(m => m.GetProperty("message_type").GetString() == "spark-event")
                .Select((m, i) => (Content: SparkEventLog.Redacted(m.GetProperty("content").GetString()!), GeneratedAt: m.GetProperty("generated_at").GetInt64(), Index: i))
                .OrderBy(m => m.GeneratedAt).ThenBy(m => m.Index).Select(m => m.Content).ToList();

            var served = await api.EventsAsync("spark-pi", runId);

            Assert.Equal(210, served.Count);
            Assert.Equal(expected, served);
        }
    }

    [Fact]
    public async Task Secrets_in_the_environment_are_redacted_before_they_are_served()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var line in CaptureLines) await client.PostOkAsync(line);

        var environment = Assert.Single(await new SparkwatchApi(server.Client).EventsAsync("spark-pi", "local-1634665582417", "SparkListenerEnvironmentUpdate"));

        Assert.DoesNotContain("not_required_for_the_exercise", environment);
        Assert.Contains("\"spark.datamechanics.apiKey.secret\":\"*********(redacted)\"", environment);
        Assert.Contains("\"spark.driver.port\":\"34443\"", environment);
    }
}
