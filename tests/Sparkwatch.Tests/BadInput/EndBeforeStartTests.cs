using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>An application end whose Timestamp is earlier than its start still closes the attempt, flagged.</summary>
public sealed class EndBeforeStartTests
{
    [Fact]
    public async Task An_end_earlier_than_its_start_is_completed_with_the_negative_duration_flagged()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 2,
            Message.Event(5000, "SparkListenerApplicationStart"), Message.Event(4200, "SparkListenerApplicationEnd")));

        var duration = await new SparkwatchApi(server.Client).DurationAsync("job", "run");

        Assert.Equal("completed", duration.GetProperty("status").GetString());
        Assert.Equal(-800, duration.GetProperty("duration_ms").GetInt64());
        Assert.True(duration.GetProperty("ends_before_start").GetBoolean());
        var attempt = Assert.Single(duration.GetProperty("attempts").EnumerateArray());
        Assert.True(attempt.GetProperty("ends_before_start").GetBoolean());
        Assert.Equal("completed", attempt.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_normal_run_is_not_flagged()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 2,
            Message.Event(100, "SparkListenerApplicationStart"), Message.Event(250, "SparkListenerApplicationEnd")));

        var duration = await new SparkwatchApi(server.Client).DurationAsync("job", "run");

        Assert.False(duration.GetProperty("ends_before_start").GetBoolean());
        Assert.Equal(JsonValueKind.False, duration.GetProperty("attempts")[0].GetProperty("ends_before_start").ValueKind);
    }
}
