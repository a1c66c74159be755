using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>A collector with a broker is ready only while JetStream answers: not while it is down, again once it is back.</summary>
public sealed class CollectorReadinessFollowsTheBroker
{
    [Fact]
    public async Task Collector_is_not_ready_while_JetStream_is_unreachable_and_ready_again_when_it_is_back()
    {
        await using var nats = NatsServer.Create();
        await using var collector = await BrokerArgs.StartCollectorAsync(nats.Url);

        // Down from the start: not ready, the broker check says why; liveness is unaffected.
        var down = await ReadinessAsync(collector.Client);
        Assert.Equal((503, "unhealthy"), (down.Status, down.Broker));
        Assert.Contains(nats.Url, down.Description, StringComparison.Ordinal);
        Assert.True((await collector.Client.GetAsync("/health")).IsSuccessStatusCode);

        await nats.RestartAsync();
        Assert.Equal((200, "healthy"), await EventuallyAsync(collector.Client, 200));

        nats.Kill();
        Assert.Equal((503, "unhealthy"), await EventuallyAsync(collector.Client, 503));

        await nats.RestartAsync();
        Assert.Equal((200, "healthy"), await EventuallyAsync(collector.Client, 200));
    }

    /// <summary>The readiness status and the broker check's outcome once the status is <paramref name="expected"/>, or after 30 s.</summary>
    private static async Task<(int Status, string? Broker)> EventuallyAsync(HttpClient client, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, broker, _) = await ReadinessAsync(client);
            if (status == expected || DateTime.UtcNow > deadline) return (status, broker);
            await Task.Delay(200);
        }
    }

    private static async Task<(int Status, string? Broker, string Description)> ReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var checks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!.AsArray();
        var broker = checks.Single(c => (string?)c!["name"] == "broker")!;
        return ((int)response.StatusCode, (string?)broker["status"], (string?)broker["description"] ?? "");
    }
}
