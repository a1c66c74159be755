using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// A new driver that reuses the run id (YARN attempt 2: the run id is the application id) counts from 1 again: its seqs
/// collide with attempt 1's but its bytes differ, so it is a new stream of the run, not a retry.
/// </summary>
public sealed class NewDriverStreamTests
{
    private const string Job = "yarn-job";
    private const string Run = "application_1700000000000_0042";

    // Each attempt's messages: its application start (without an App Attempt ID when attempt is null), three tasks, its end.
    private static Message[] Attempt(int? attempt, long start) =>
    [
        new(start, $$"""{"Event":"SparkListenerApplicationStart","App Name":"etl","App ID":"{{Run}}","Timestamp":{{start}},"User":"spark"{{(attempt is null ? "" : $",\"App Attempt ID\":\"{attempt}\"")}}}"""),
        .. Enumerable.Range(1, 3).Select(i => Message.Event(start + i, extra: $",\"attempt\":{attempt ?? 0},\"n\":{i}")),
        new(start + 10, $$"""{"Event":"SparkListenerApplicationEnd","Timestamp":{{start + 10}}}"""),
    ];

    private static string[] Contents(params Message[][] attempts) => [.. attempts.SelectMany(a => a).Select(m => m.Content)];

    private static async Task<JsonElement> PostAsync(ListenerClient client, long counter, params Message[] messages)
    {
        using var response = await client.PostAsync(ListenerEnvelope.Build(Job, Run, counter, messages));
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Attempt_2_reusing_the_run_id_is_stored_whole_and_once_in_order_and_duration_lists_both_attempts()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var (first, second) = (Attempt(1, 1000), Attempt(2, 5000));
        await PostAsync(client, 3, first[..3]);
        await PostAsync(client, 5, first[3..]);

        var opened = await PostAsync(client, 3, second[..3]);
        var continued = await PostAsync(client, 5, second[3..]);

        Assert.Equal((3, 0), (opened.GetProperty("events_stored").GetInt32(), opened.GetProperty("duplicates").GetInt32()));
        Assert.Equal((2, 0), (continued.GetProperty("events_stored").GetInt32(), continued.GetProperty("duplicates").GetInt32()));
        var api = new SparkwatchApi(server.Client);
        Assert.Equal(Contents(first, second), await api.EventsAsync(Job, Run));
        var attempts = (await api.DurationAsync(Job, Run)).GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([("1", 10L), ("2", 10L)], attempts.Select(a => (a.GetProperty("attempt_id").GetString(), a.GetProperty("duration_ms").GetInt64())));
    }

    [Fact]
    public async Task A_restarted_driver_without_attempt_ids_is_listed_as_a_second_attempt()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var (first, second) = (Attempt(null, 1000), Attempt(null, 5000));

        await PostAsync(client, 5, first);
        var restarted = await PostAsync(client, 5, second);

        Assert.Equal(5, restarted.GetProperty("events_stored").GetInt32());
        var duration = await new SparkwatchApi(server.Client).DurationAsync(Job, Run);
        Assert.Equal([1000L, 5000L], duration.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("start_time").GetInt64()));
        Assert.Equal(10, duration.GetProperty("duration_ms").GetInt64());
    }

    [Fact]
    public async Task Retries_of_attempt_1_that_arrive_after_attempt_2_started_are_duplicates()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var (first, second) = (Attempt(1, 1000), Attempt(2, 5000));
        await PostAsync(client, 5, first);
        await PostAsync(client, 3, second[..3]);

        // Attempt 1's last payload again (its answer was lost), then rebuilt from the listener's queue with fewer messages.
        var retry = await PostAsync(client, 5, first);
        var partial = await PostAsync(client, 5, first[3..]);
        var attempt2 = await PostAsync(client, 5, second[3..]);

        Assert.Equal((0, 5), (retry.GetProperty("events_stored").GetInt32(), retry.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 2), (partial.GetProperty("events_stored").GetInt32(), partial.GetProperty("duplicates").GetInt32()));
        Assert.Equal((2, 0), (attempt2.GetProperty("events_stored").GetInt32(), attempt2.GetProperty("duplicates").GetInt32()));
        Assert.Equal(Contents(first, second), await new SparkwatchApi(server.Client).EventsAsync(Job, Run));
    }

    [Fact]
    public async Task Streams_survive_a_restart_of_the_server_between_the_attempts()
    {
        using var data = TestPaths.NewTempFolder();
        var (first, second) = (Attempt(1, 1000), Attempt(2, 5000));
        await using (var server = await ServerUnderTest.StartAsync(data.Path))
        {
            var client = new ListenerClient(server.Client);
            await PostAsync(client, 5, first);
            await PostAsync(client, 3, second[..3]);
        }

        await using (var server = await ServerUnderTest.StartAsync(data.Path))
        {
            var client = new ListenerClient(server.Client);
            var continued = await PostAsync(client, 5, second[3..]);
            var retries = new[] { await PostAsync(client, 5, first), await PostAsync(client, 3, second[..3]) };

            Assert.Equal(2, continued.GetProperty("events_stored").GetInt32());
            Assert.All(retries, r => Assert.Equal(0, r.GetProperty("events_stored").GetInt32()));
            Assert.Equal(Contents(first, second), await new SparkwatchApi(server.Client).EventsAsync(Job, Run));
        }
    }
}
