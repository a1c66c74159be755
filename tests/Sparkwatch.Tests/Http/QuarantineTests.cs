using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>A bad message is kept aside, counted and inspectable, and never blocks the good ones beside it.</summary>
public sealed class QuarantineTests
{
    [Fact]
    public async Task Invalid_content_is_quarantined_and_the_rest_of_the_payload_is_stored()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var payload = ListenerEnvelope.Build("job", "run", 5,
            Message.Event(1), new Message(2, "{\"Event\":\"Truncated\",\"Times"), Message.Event(3),
            new Message(4, "[1,2,3]"), new Message(5, "{\"no\":\"event field\"}"));

        using var response = await client.PostAsync(payload);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, body.GetProperty("events_stored").GetInt32());
        Assert.Equal(3, body.GetProperty("quarantined").GetInt32());
        var api = new SparkwatchApi(server.Client);
        Assert.Equal(2, (await api.EventsAsync("job", "run")).Count);
        Assert.Equal(3, (await api.GetJsonAsync("/job/job/run")).GetProperty("quarantined_count").GetInt64());
        var quarantined = (await api.GetJsonAsync("/job/job/run/quarantine")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([2L, 4L, 5L], quarantined.Select(q => q.GetProperty("seq").GetInt64()));
        Assert.Equal("{\"Event\":\"Truncated\",\"Times", quarantined[0].GetProperty("content").GetString());
        Assert.Contains("not valid JSON", quarantined[0].GetProperty("reason").GetString());
        Assert.Contains("not an object", quarantined[1].GetProperty("reason").GetString());
        Assert.Contains("\"Event\"", quarantined[2].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_retried_quarantined_message_is_counted_once()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var payload = ListenerEnvelope.Build("job", "run", 2, Message.Event(1), new Message(2, "not json"));

        await client.PostOkAsync(payload);
        await client.PostOkAsync(payload);

        var run = await new SparkwatchApi(server.Client).GetJsonAsync("/job/job/run");
        Assert.Equal(1, run.GetProperty("quarantined_count").GetInt64());
        Assert.Equal(1, run.GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task An_unknown_message_type_is_quarantined_with_its_name()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);

        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 2, Message.Event(1), new Message(2, "{}", "metrics")));

        var quarantined = (await new SparkwatchApi(server.Client).GetJsonAsync("/job/job/run/quarantine")).GetProperty("messages")[0];
        Assert.Contains("\"metrics\"", quarantined.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_pretty_printed_event_is_stored_on_one_line()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);

        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 1, new Message(1, "{\n  \"Event\": \"E\",\n  \"x\": [1, 2]\n}")));

        Assert.Equal(["{\"Event\":\"E\",\"x\":[1,2]}"], await new SparkwatchApi(server.Client).EventsAsync("job", "run"));
    }
}
