using System.Net;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>
/// Names <c>.</c> and <c>..</c> are accepted at ingest, so they read back through every path (percent-encoded), and a
/// request whose raw path and routed path would disagree is refused instead of answering for another run.
/// </summary>
public sealed class DotSegmentNameTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("..", "..")]
    [InlineData(".", "..")]
    [InlineData("..", ".")]
    [InlineData("job", ".")]
    public async Task A_dot_name_reads_back_through_every_path(string jobName, string runId)
    {
        await new ListenerClient(_server.Client).PostOkAsync(ListenerEnvelope.Build(jobName, runId, 2,
            Message.Event(100, "SparkListenerApplicationStart"), new Message(250, "not json")));
        var api = new SparkwatchApi(_server.Client);

        Assert.Contains(jobName, await api.AllJobNamesAsync());
        Assert.Equal([runId], await api.AllRunIdsAsync(jobName));
        Assert.Equal(runId, (await api.GetJsonAsync(SparkwatchApi.RunPath(jobName, runId))).GetProperty("run_id").GetString());
        Assert.Single(await api.EventsAsync(jobName, runId));
        Assert.Equal(jobName, (await api.DurationAsync(jobName, runId)).GetProperty("job_name").GetString());
        Assert.Equal(1, (await api.GetJsonAsync(SparkwatchApi.RunPath(jobName, runId, "/quarantine"))).GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [InlineData("/job/jR/r/%2E%2E/%2E%2E/public/r/events")]
    [InlineData("/job/jR/r/%2e%2e/%2e%2e/public/r/duration")]
    [InlineData("/job/%2E%2E/%2E%2E/%2E%2E/job/public/r")]
    [InlineData("/%2E%2E/job/public")]
    public async Task A_path_whose_dot_segments_would_reroute_it_gets_400(string path)
    {
        var client = new ListenerClient(_server.Client);
        await client.PostOkAsync(ListenerEnvelope.Build("public", "r", 1, Message.Event(1, extra: ",\"which\":\"public\"")));
        await client.PostOkAsync(ListenerEnvelope.Build("jR", "r", 1, Message.Event(1, extra: ",\"which\":\"jR\"")));

        using var response = await _server.Client.GetAsync(SparkwatchApi.Verbatim(_server.Client, path));

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, "'.' or '..'");
    }
}
