using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>
/// A payload whose batch is larger than the NATS server takes (its <c>max_payload</c>, 4 KB here) is refused for good with
/// 413 and a problem that names the limit and the setting, not 503 for ever; smaller payloads still go through.
/// </summary>
public sealed class PayloadOverTheBrokersLimit(PayloadOverTheBrokersLimit.SmallNats nats) : IClassFixture<PayloadOverTheBrokersLimit.SmallNats>
{
    [Fact]
    public async Task A_payload_over_max_payload_is_refused_with_413_naming_the_limit_and_the_next_small_one_is_taken()
    {
        await using var collector = await BrokerArgs.StartCollectorAsync(nats.Server.Url);
        var listener = new ListenerClient(collector.Client);
        // The capture's largest payload: ~125 KB of JSON, far over 4 KB even zstd-compressed.
        var large = File.ReadLines(TestPaths.ListenerCapture).MaxBy(l => l.Length)!;

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var refused = await listener.PostAsync(large);
            Assert.Equal(413, (int)refused.StatusCode);
            Assert.Null(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("urn:sparkwatch:problem:payload-too-large", (string?)problem["type"]);
            var detail = (string?)problem["detail"] ?? "";
            Assert.Contains("max_payload of 4,096 bytes", detail, StringComparison.Ordinal);
            Assert.Contains("Raise max_payload in the nats-server configuration", detail, StringComparison.Ordinal);
        }

        // The broker is fine and the connection stands: a small payload is acknowledged, and the collector stays ready.
        var small = new JsonObject
        {
            ["job_name"] = "small", ["run_id"] = "r1", ["sent_at"] = 1_700_000_000_000L,
            ["counters"] = new JsonObject { ["message_counter"] = 1, ["payload_counter"] = 1 },
            ["messages"] = new JsonArray(new JsonObject
            {
                ["generated_at"] = 1_700_000_000_000L, ["message_type"] = "spark-event",
                ["content"] = """{"Event":"SparkListenerLogStart","Spark Version":"3.5.0"}""",
            }),
        }.ToJsonString();
        using var taken = await listener.PostAsync(small);
        Assert.Equal(200, (int)taken.StatusCode);
        Assert.Equal(1, (int?)JsonNode.Parse(await taken.Content.ReadAsStringAsync())!["events_accepted"]);
        Assert.True((await collector.Client.GetAsync("/health/ready")).IsSuccessStatusCode);
        // The broker's counters are exported (at least these; the meter is the test process's, shared by its servers).
        var metrics = PrometheusText.Parse(await collector.Client.GetStringAsync("/metrics"));
        Assert.True(metrics.Sum("sparkwatch_broker_payloads_too_large_total") >= 2);
        Assert.True(metrics.Sum("sparkwatch_broker_batches_published_total") >= 1);
    }

    /// <summary>A nats-server whose largest message is 4 KB.</summary>
    public sealed class SmallNats : IAsyncLifetime
    {
        public NatsServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await NatsServer.StartAsync("4KB");

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
