using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>Spark's own event logs, split into listener payloads, round-trip through the service.</summary>
public sealed class SparkEventLogReplayTests
{
    public static TheoryData<string> Logs() => [.. SparkEventLog.SharedLogPaths().Select(p => Path.GetRelativePath(TestPaths.SharedData, p))];

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task A_replayed_log_round_trips_sorted_and_byte_identical_with_its_duration(string relativePath)
    {
        var log = SparkEventLog.Read(Path.Combine(TestPaths.SharedData, relativePath));
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("replayed", log.AppId, log.Lines, batchSize: 100)) await client.PostOkAsync(envelope);
        var api = new SparkwatchApi(server.Client);

        Assert.Equal(log.ExpectedServedLines(), await api.EventsAsync("replayed", log.AppId));
        var duration = await api.DurationAsync("replayed", log.AppId);
        Assert.Equal(log.ExpectedDurationMs, duration.GetProperty("duration_ms").GetInt64());
    }

    [Fact]
    public async Task Two_attempts_of_one_application_report_each_attempt_and_the_latest_as_the_run()
    {
        var first = SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, "local-1430917381535_1"));
        var second = SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, "local-1430917381535_2"));
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        // The second attempt's payloads arrive first: pairing ends with starts must not depend on arrival order.
        foreach (var envelope in ListenerClient.Envelopes("attempts", "local-1430917381535", [.. first.Lines, .. second.Lines], batchSize: 7).Reverse())
        {
            await client.PostOkAsync(envelope);
        }

        var duration = await new SparkwatchApi(server.Client).DurationAsync("attempts", "local-1430917381535");

        var attempts = duration.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal("1", attempts[0].GetProperty("attempt_id").GetString());
        Assert.Equal(first.ExpectedDurationMs, attempts[0].GetProperty("duration_ms").GetInt64());
        Assert.Equal("2", attempts[1].GetProperty("attempt_id").GetString());
        Assert.Equal(second.ExpectedDurationMs, attempts[1].GetProperty("duration_ms").GetInt64());
        Assert.Equal(second.ExpectedDurationMs, duration.GetProperty("duration_ms").GetInt64());
        Assert.Equal("completed", duration.GetProperty("status").GetString());
    }
}
