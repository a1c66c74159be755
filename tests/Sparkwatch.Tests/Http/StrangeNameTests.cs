using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>Job and run names are arbitrary strings: every path works with them, percent-encoded per segment.</summary>
public sealed class StrangeNameTests
{
    public static TheoryData<string, string> Names() => new()
    {
        { "Spark Pi", "local 1" },
        { "team/etl/daily", "run/2026-11-28" },
        { "100% done", "a%2Fb" },
        { "a+b c", "x+y" },
        { "données-日本語-🚀", "ünïcödé" },
        { new string('j', 1000), new string('é', 1000) },
        { "events", "duration" },
        { "?#[]@!$&'()*,;=", "~-._" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_strange_name_works_in_every_path(string jobName, string runId)
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        await client.PostOkAsync(ListenerEnvelope.Build(jobName, runId, 2,
            Message.Event(100, "SparkListenerApplicationStart"), Message.Event(250, "SparkListenerApplicationEnd")));
        var api = new SparkwatchApi(server.Client);

        Assert.Equal([jobName], await api.AllJobNamesAsync());
        Assert.Equal([runId], await api.AllRunIdsAsync(jobName));
        Assert.Equal(runId, (await api.GetJsonAsync(SparkwatchApi.RunPath(jobName, runId))).GetProperty("run_id").GetString());
        Assert.Equal(2, (await api.EventsAsync(jobName, runId)).Count);
        var duration = await api.DurationAsync(jobName, runId);
        Assert.Equal(150, duration.GetProperty("duration_ms").GetInt64());
        Assert.Equal(jobName, duration.GetProperty("job_name").GetString());
    }

    [Fact]
    public async Task Names_that_differ_only_in_encoding_stay_apart()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        await client.PostOkAsync(ListenerEnvelope.Build("j", "a/b", 1, Message.Event(1, extra: ",\"which\":\"slash\"")));
        await client.PostOkAsync(ListenerEnvelope.Build("j", "a%2Fb", 1, Message.Event(1, extra: ",\"which\":\"literal\"")));
        var api = new SparkwatchApi(server.Client);

        Assert.Contains("slash", Assert.Single(await api.EventsAsync("j", "a/b")));
        Assert.Contains("literal", Assert.Single(await api.EventsAsync("j", "a%2Fb")));
    }
}
