using System.Net;
using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>The Delight endpoints' behaviour: retries, heartbeat, ack, refusals, prefixes.</summary>
public sealed class DelightProtocolTests
{
    private const string AppId = "morning-dashboard-0b6f4c1e-8d2a-4c3b-9a7e-1f2e3d4c5b6a";
    private static readonly List<string> Lines = SharedLogs.Lines(SharedLogs.Named("delight-example-spark3.eventlog"));

    [Fact]
    public async Task Retried_bulk_payload_is_stored_once()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);
        var first = agent.NextBulk(Lines[..50], 1000);
        await agent.PostOkAsync("bulk", first);
        var retry = JsonNode.Parse(await agent.PostOkAsync("bulk", first))!;
        Assert.Equal(0, retry["events_stored"]!.GetValue<int>());
        Assert.Equal(50, retry["duplicates"]!.GetValue<int>());
        await agent.PostOkAsync("bulk", agent.NextBulk(Lines[50..80], 2000));
        var run = await RunReader.RunAsync(server.Client, "morning-dashboard", AppId);
        Assert.Equal(80, run!["event_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Ack_marks_the_upload_complete()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);
        await agent.PostOkAsync("bulk", agent.NextBulk(Lines[..100], 1000));
        Assert.Equal("running", (await RunReader.RunAsync(server.Client, "morning-dashboard", AppId))!["status"]!.GetValue<string>());
        await agent.SignalAsync("ack");
        // No application end arrived, and the agent says it is done: the run will never complete.
        Assert.Equal("incomplete", (await RunReader.RunAsync(server.Client, "morning-dashboard", AppId))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Heartbeat_updates_the_run_last_seen_time_only()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);
        await agent.PostOkAsync("bulk", agent.NextBulk(Lines[..10], 1000));
        var before = (await RunReader.RunAsync(server.Client, "morning-dashboard", AppId))!;
        await Task.Delay(20);
        await agent.SignalAsync("heartbeat");
        var after = (await RunReader.RunAsync(server.Client, "morning-dashboard", AppId))!;
        Assert.True(after["last_seen_at"]!.GetValue<long>() > before["last_seen_at"]!.GetValue<long>());
        Assert.Equal(10, after["event_count"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("not base64 at all!", "base64")]
    [InlineData("aGVsbG8gd29ybGQ=", "not gzip")]
    [InlineData("H4sIAAAAAAAA/////w==", "not valid gzip")]
    public async Task Undecodable_data_is_refused_with_a_clear_reason(string data, string reason)
    {
        await using var server = await ServerUnderTest.StartAsync();
        var agent = new DelightAgent(server.Client, AppId);
        using var response = await agent.PostAsync("bulk", DelightAgent.Bulk(AppId, 1000, 1, 1, data));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Contains(reason, detail);
    }

    [Fact]
    public async Task Data_inflating_past_the_limit_is_refused_with_413()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Limits:MaxInflatedBytes=100000");
        var agent = new DelightAgent(server.Client, AppId);
        var bomb = Convert.ToBase64String(DelightAgent.Gzip(new string(' ', 5_000_000)));
        using var response = await agent.PostAsync("bulk", DelightAgent.Bulk(AppId, 1000, 1, 1, bomb));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("MaxInflatedBytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Endpoints_are_served_under_every_configured_prefix()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:DelightPrefixes:0=/collector", "--Sparkwatch:DelightPrefixes:1=/delight/v1/");
        var agent = new DelightAgent(server.Client, AppId, "/delight/v1");
        await agent.PostOkAsync("bulk", agent.NextBulk(Lines[..5], 1000));
        await agent.SignalAsync("heartbeat");
        await agent.SignalAsync("ack");
        await new DelightAgent(server.Client, AppId).SignalAsync("heartbeat");
        Assert.Equal(5, (await RunReader.RunAsync(server.Client, "morning-dashboard", AppId))!["event_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_refused_key_gets_401_never_429()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--api-key", "the-right-key");
        var agent = new DelightAgent(server.Client, AppId);
        using var response = await agent.PostAsync("bulk", agent.NextBulk(Lines[..5], 1000));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
