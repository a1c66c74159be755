using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>A collector whose broker is not there yet refuses payloads with 503 and Retry-After, then takes them once it is.</summary>
public sealed class BrokerDownAtStart
{
    [Fact]
    public async Task Collector_answers_503_with_Retry_After_until_the_broker_comes_up()
    {
        await using var nats = NatsServer.Create();
        await using var collector = await BrokerArgs.StartCollectorAsync(nats.Url);
        var payload = File.ReadLines(TestPaths.ListenerCapture).First();
        var listener = new ListenerClient(collector.Client);

        using (var refused = await listener.PostAsync(payload))
        {
            Assert.Equal(503, (int)refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("urn:sparkwatch:problem:broker-unavailable", (string?)problem["type"]);
        }

        await nats.RestartAsync();
        var events = JsonNode.Parse(payload)!["messages"]!.AsArray().Count(m => (string?)m!["message_type"] == "spark-event");
        // The client library reconnects with a back-off: the listener's retries get through within seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await listener.PostAsync(payload);
            if (response.IsSuccessStatusCode)
            {
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(events, (int?)body["events_accepted"]);
                Assert.Null(body["events_stored"]);
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"still {(int)response.StatusCode} 30 s after the broker came up");
            await Task.Delay(200);
        }
    }
}
