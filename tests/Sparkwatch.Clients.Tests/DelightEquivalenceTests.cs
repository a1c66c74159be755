using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>Every real log sent as the Delight agent would gives the same events, order and durations as through /collect.</summary>
public sealed class DelightEquivalenceTests(DelightEquivalenceTests.Server server) : IClassFixture<DelightEquivalenceTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public ServerUnderTest Instance { get; private set; } = null!;
        public async Task InitializeAsync() => Instance = await ServerUnderTest.StartAsync();
        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(SharedLogs.Names), MemberType = typeof(SharedLogs))]
    public async Task Delight_payloads_give_the_same_events_order_and_duration_as_collect(string logName)
    {
        var http = server.Instance.Client;
        var lines = SharedLogs.Lines(SharedLogs.Named(logName));
        var dmAppId = "my_app-" + logName.Replace('_', '-') + "-3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f";
        var agent = new DelightAgent(http, dmAppId);
        var listener = new ListenerClient(http);
        long sentAt = 1_600_000_000_000, counter = 0, payload = 0;
        foreach (var chunk in lines.Chunk(40))
        {
            sentAt += 500;
            await agent.PostOkAsync("bulk", agent.NextBulk(chunk, sentAt));
            // The same messages as the listener would carry them, with the agent's only time (sentAt) as generated_at.
            counter += chunk.Length;
            var envelope = new System.Text.Json.Nodes.JsonObject
            {
                ["job_name"] = "reference", ["run_id"] = logName, ["sent_at"] = sentAt,
                ["counters"] = new System.Text.Json.Nodes.JsonObject { ["message_counter"] = counter, ["payload_counter"] = ++payload },
                ["messages"] = new System.Text.Json.Nodes.JsonArray([.. chunk.Select(l => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["generated_at"] = sentAt, ["message_type"] = "spark-event", ["content"] = l,
                })]),
            };
            await listener.PostOkAsync(envelope.ToJsonString());
        }

        var job = "my_app-" + logName.Replace('_', '-');
        var viaDelight = await RunReader.EventsAsync(http, job, dmAppId);
        var viaCollect = await RunReader.EventsAsync(http, "reference", logName);
        Assert.Equal(viaCollect, viaDelight);
        Assert.Equal(lines.Count, viaDelight.Length);
        for (var i = 0; i < lines.Count; i++)
        {
            if (!SharedLogs.IsEnvironmentUpdate(lines[i])) Assert.Equal(lines[i], viaDelight[i]);
        }
        Assert.Equal(await RunReader.DurationAsync(http, "reference", logName), await RunReader.DurationAsync(http, job, dmAppId));
    }
}
