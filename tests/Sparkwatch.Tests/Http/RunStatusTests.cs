using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>A run without its end says where it stands instead of giving a number.</summary>
public sealed class RunStatusTests
{
    [Fact]
    public async Task A_started_run_without_end_is_running()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(100, "SparkListenerApplicationStart")));

        var duration = await new SparkwatchApi(server.Client).DurationAsync("job", "run");

        Assert.Equal("running", duration.GetProperty("status").GetString());
        Assert.Equal(100, duration.GetProperty("start_time").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, duration.GetProperty("duration_ms").ValueKind);
    }

    [Fact]
    public async Task A_run_silent_past_the_timeout_is_incomplete()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:RunSilenceTimeout=00:00:00.200");
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(100, "SparkListenerApplicationStart")));
        await Task.Delay(400);

        var duration = await new SparkwatchApi(server.Client).DurationAsync("job", "run");

        Assert.Equal("incomplete", duration.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_heartbeat_keeps_a_run_running()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:RunSilenceTimeout=00:00:03");
        var client = new ListenerClient(server.Client);
        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(100, "SparkListenerApplicationStart")));
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(1000);
            await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 2 + i, Message.Heartbeat(200 + i)));
        }

        Assert.Equal("running", (await new SparkwatchApi(server.Client).DurationAsync("job", "run")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_end_that_arrives_before_its_start_still_gives_the_duration()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 2, Message.Event(5000, "SparkListenerApplicationEnd")));

        Assert.Equal("incomplete", (await new SparkwatchApi(server.Client).DurationAsync("job", "run")).GetProperty("status").GetString());
        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(1200, "SparkListenerApplicationStart")));

        var duration = await new SparkwatchApi(server.Client).DurationAsync("job", "run");
        Assert.Equal("completed", duration.GetProperty("status").GetString());
        Assert.Equal(3800, duration.GetProperty("duration_ms").GetInt64());
    }
}
