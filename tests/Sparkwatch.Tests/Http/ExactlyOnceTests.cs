using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>An at-least-once client gets an exactly-once effect: each (run, seq) is stored once, in (generated_at, seq) order.</summary>
public sealed class ExactlyOnceTests
{
    private static Message[] Events(int from, int count) => [.. Enumerable.Range(from, count).Select(i => Message.Event(1000 + i, extra: $",\"n\":{i}"))];

    private static async Task<JsonElement> PostAsync(ListenerClient client, string envelope)
    {
        using var response = await client.PostAsync(envelope);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Retried_payload_is_stored_once()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var payload = ListenerEnvelope.Build("job", "run", 10, Events(1, 10));

        var first = await PostAsync(client, payload);
        var retry = await PostAsync(client, payload);

        Assert.Equal(10, first.GetProperty("events_stored").GetInt32());
        Assert.Equal(0, retry.GetProperty("events_stored").GetInt32());
        Assert.Equal(10, retry.GetProperty("duplicates").GetInt32());
        Assert.Equal(10, (await new SparkwatchApi(server.Client).EventsAsync("job", "run")).Count);
    }

    [Fact]
    public async Task Partial_retry_with_newer_messages_stores_only_the_new_ones()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        await PostAsync(client, ListenerEnvelope.Build("job", "run", 5, Events(1, 5)));

        // The listener rebuilds the payload from its queue: the same first messages plus newer ones, a new sent_at.
        var retry = await PostAsync(client, ListenerEnvelope.Build("job", "run", 8, [.. Events(1, 5), .. Events(6, 3)]));

        Assert.Equal(3, retry.GetProperty("events_stored").GetInt32());
        Assert.Equal(5, retry.GetProperty("duplicates").GetInt32());
        var served = await new SparkwatchApi(server.Client).EventsAsync("job", "run");
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"{{\"Event\":\"SparkListenerTaskEnd\",\"Timestamp\":{1000 + i},\"n\":{i}}}"), served);
    }

    [Fact]
    public async Task Out_of_order_payloads_are_served_in_generated_at_then_seq_order()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        // Several messages share a millisecond: their seq decides.
        var all = Enumerable.Range(1, 30).Select(i => new Message(5000 + i / 3, $"{{\"Event\":\"E\",\"n\":{i}}}")).ToArray();
        var payloads = all.Chunk(5).Select((chunk, p) => ListenerEnvelope.Build("job", "run", (p + 1) * 5, chunk)).ToList();

        foreach (var payload in payloads.AsEnumerable().Reverse()) await PostAsync(client, payload);
        await PostAsync(client, payloads[2]);

        var served = await new SparkwatchApi(server.Client).EventsAsync("job", "run");
        Assert.Equal(all.Select(m => m.Content), served);
    }

    [Fact]
    public async Task Interleaved_concurrent_runs_keep_their_own_streams()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var runs = Enumerable.Range(0, 8).Select(r => $"run-{r}").ToArray();

        await Parallel.ForEachAsync(runs, async (run, _) =>
        {
            for (var p = 0; p < 10; p++)
            {
                var messages = Enumerable.Range(p * 20 + 1, 20).Select(i => new Message(i, $"{{\"Event\":\"E\",\"run\":\"{run}\",\"n\":{i}}}")).ToArray();
                await PostAsync(client, ListenerEnvelope.Build("job", run, (p + 1) * 20, messages));
            }
        });

        var api = new SparkwatchApi(server.Client);
        foreach (var run in runs)
        {
            Assert.Equal(Enumerable.Range(1, 200).Select(i => $"{{\"Event\":\"E\",\"run\":\"{run}\",\"n\":{i}}}"), await api.EventsAsync("job", run));
        }
        Assert.Equal(runs.Length, (await api.AllRunIdsAsync("job")).Count);
    }

    [Fact]
    public async Task Heartbeats_take_a_seq_but_are_not_events()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);

        var response = await PostAsync(client, ListenerEnvelope.Build("job", "run", 3, Message.Event(1), Message.Heartbeat(2), Message.Event(3)));
        await PostAsync(client, ListenerEnvelope.Build("job", "run", 4, Message.Heartbeat(4)));

        Assert.Equal(2, response.GetProperty("events_stored").GetInt32());
        Assert.Equal(1, response.GetProperty("heartbeats").GetInt32());
        var run = await new SparkwatchApi(server.Client).GetJsonAsync("/job/job/run");
        Assert.Equal(2, run.GetProperty("event_count").GetInt64());
        Assert.Equal(2, (await new SparkwatchApi(server.Client).EventsAsync("job", "run")).Count);
    }

    [Fact]
    public async Task Payloads_without_counters_are_stored_in_arrival_order()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);

        await PostAsync(client, ListenerEnvelope.Build("curl", "run", null, new Message(7, "{\"Event\":\"A\"}"), new Message(7, "{\"Event\":\"B\"}")));
        await PostAsync(client, ListenerEnvelope.Build("curl", "run", null, new Message(7, "{\"Event\":\"C\"}")));

        Assert.Equal(["{\"Event\":\"A\"}", "{\"Event\":\"B\"}", "{\"Event\":\"C\"}"], await new SparkwatchApi(server.Client).EventsAsync("curl", "run"));
    }
}
