using System.Net;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>
/// A name as long as <c>Limits:MaxNameLength</c> allows, in the characters that cost the most once percent-encoded,
/// reads back through every path; a request line over the limit gets 414 with a problem body.
/// </summary>
public sealed class LongNameTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Names_of_4096_CJK_characters_read_back_through_every_path()
    {
        var jobName = new string('日', 4096);
        var runId = new string('本', 4096);
        await new ListenerClient(_server.Client).PostOkAsync(ListenerEnvelope.Build(jobName, runId, 2,
            Message.Event(100, "SparkListenerApplicationStart"), new Message(250, "not json")));
        var api = new SparkwatchApi(_server.Client);

        Assert.Equal([runId], await api.AllRunIdsAsync(jobName));
        Assert.Equal(runId, (await api.GetJsonAsync(SparkwatchApi.RunPath(jobName, runId))).GetProperty("run_id").GetString());
        Assert.Single(await api.EventsAsync(jobName, runId));
        Assert.Equal("running", (await api.DurationAsync(jobName, runId)).GetProperty("status").GetString());
        Assert.Single((await api.GetJsonAsync(SparkwatchApi.RunPath(jobName, runId, "/quarantine?limit=10&cursor="))).GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task A_request_line_over_the_limit_gets_414_with_a_problem_body()
    {
        using var response = await _server.Client.GetAsync("/job/" + new string('x', 80_000));

        await Answers.AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "MaxRequestLineBytes");
    }
}
