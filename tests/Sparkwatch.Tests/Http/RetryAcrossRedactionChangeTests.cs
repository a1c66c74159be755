using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// A retry is recognised by its content as received, so a retry redacted differently from the first delivery (here: the
/// run's own <c>spark.redaction.regex</c> is forgotten by a restarted server) is still a duplicate, not a new stream.
/// </summary>
public sealed class RetryAcrossRedactionChangeTests
{
    private const string Environment = """{"Event":"SparkListenerEnvironmentUpdate","JVM Information":{},"Spark Properties":{"spark.redaction.regex":"(?i)internal"},"System Properties":{},"Classpath Entries":{}}""";
    private const string JobStart = """{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1001,"Stage Infos":[],"Stage IDs":[],"Properties":{"spark.internal.endpoint":"https://vault"}}""";

    [Fact]
    public async Task A_retry_after_a_restart_that_forgot_the_runs_redaction_pattern_is_a_duplicate()
    {
        using var data = TestPaths.NewTempFolder();
        var payload = ListenerEnvelope.Build("job", "run", 2, new Message(1001, JobStart));
        await using (var server = await ServerUnderTest.StartAsync(data.Path))
        {
            var client = new ListenerClient(server.Client);
            await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 1, new Message(1000, Environment)));
            await client.PostOkAsync(payload);
        }

        await using (var server = await ServerUnderTest.StartAsync(data.Path))
        {
            using var response = await new ListenerClient(server.Client).PostAsync(payload);
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal((0, 1), (answer.GetProperty("events_stored").GetInt32(), answer.GetProperty("duplicates").GetInt32()));
            var events = await new SparkwatchApi(server.Client).EventsAsync("job", "run");
            Assert.Equal(2, events.Count);
            Assert.DoesNotContain("https://vault", events[1]);
        }
    }
}
