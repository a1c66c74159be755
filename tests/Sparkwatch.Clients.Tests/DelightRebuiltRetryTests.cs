using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>
/// The Delight agent raises its counters before a payload is acknowledged and rebuilds the retry from the head of its
/// queue: the same lines, maybe more, a new sentAt, new counters. Each line is stored once all the same.
/// </summary>
public sealed class DelightRebuiltRetryTests
{
    private const string AppId = "nightly-etl-0b6f4c1e-8d2a-4c3b-9a7e-1f2e3d4c5b6a";

    private static string JobStart(int id) => $$"""{"Event":"SparkListenerJobStart","Job ID":{{id}},"Submission Time":{{1000 + id}},"Stage Infos":[],"Stage IDs":[]}""";

    private static async Task<List<long>> JobIdsAsync(HttpClient http) =>
        [.. (await RunReader.EventsAsync(http, "nightly-etl", AppId)).Select(e => JsonNode.Parse(e)!["Job ID"]!.GetValue<long>())];

    [Fact]
    public async Task A_retry_rebuilt_under_new_counters_with_more_lines_stores_each_line_once()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);
        var lines = Enumerable.Range(0, 5).Select(JobStart).ToList();

        await agent.PostOkAsync("bulk", agent.NextBulk(lines[..3], 1000));
        // The answer was lost: the counters moved on all the same, and the retry carries the queue's head and two newer lines.
        var retry = JsonNode.Parse(await agent.PostOkAsync("bulk", agent.NextBulk(lines, 2000)))!;

        Assert.Equal((2, 3), (retry["events_stored"]!.GetValue<int>(), retry["duplicates"]!.GetValue<int>()));
        Assert.Equal([0L, 1, 2, 3, 4], await JobIdsAsync(server.Client));
    }

    [Fact]
    public async Task The_same_retry_rebuilt_again_stores_nothing_more()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);
        var lines = Enumerable.Range(0, 5).Select(JobStart).ToList();
        await agent.PostOkAsync("bulk", agent.NextBulk(lines[..3], 1000));
        await agent.PostOkAsync("bulk", agent.NextBulk(lines, 2000));

        var again = JsonNode.Parse(await agent.PostOkAsync("bulk", agent.NextBulk(lines, 3000)))!;
        await agent.PostOkAsync("bulk", agent.NextBulk([JobStart(5)], 4000));

        Assert.Equal(0, again["events_stored"]!.GetValue<int>());
        Assert.Equal([0L, 1, 2, 3, 4, 5], await JobIdsAsync(server.Client));
    }

    [Fact]
    public async Task Identical_lines_inside_one_payload_are_all_kept()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);

        var answer = JsonNode.Parse(await agent.PostOkAsync("bulk", agent.NextBulk([JobStart(0), JobStart(1), JobStart(1), JobStart(1)], 1000)))!;
        var next = JsonNode.Parse(await agent.PostOkAsync("bulk", agent.NextBulk([JobStart(1), JobStart(2)], 2000)))!;

        Assert.Equal(4, answer["events_stored"]!.GetValue<int>());
        Assert.Equal(2, next["events_stored"]!.GetValue<int>());
        Assert.Equal([0L, 1, 1, 1, 1, 2], await JobIdsAsync(server.Client));
    }
}
