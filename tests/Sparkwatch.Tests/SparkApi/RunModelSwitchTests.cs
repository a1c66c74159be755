using System.Net;
using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The run model is kept only when <c>Sparkwatch:RunModel</c> is on (the default).</summary>
public sealed class RunModelSwitchTests
{
    [Fact]
    public async Task With_the_run_model_off_events_are_stored_and_no_stage_is_modelled()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:RunModel=false");
        var client = new ListenerClient(server.Client);
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        foreach (var envelope in ListenerClient.Envelopes("nightly", log.AppId, log.Lines)) await client.PostOkAsync(envelope);

        Assert.Equal(log.Lines.Count(), (await new SparkwatchApi(server.Client).EventsAsync("nightly", log.AppId)).Count);
        using var stages = await server.Client.GetAsync($"/api/v1/applications/{log.AppId}/stages");
        var body = await stages.Content.ReadAsStringAsync();
        Assert.True(stages.StatusCode == HttpStatusCode.NotFound
            || (stages.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(body).RootElement.GetArrayLength() == 0), $"{(int)stages.StatusCode}: {body}");
    }
}
