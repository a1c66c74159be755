using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The native summary of a run carries the model: application, jobs, stages and executors.</summary>
public sealed class RunSummaryTests
{
    [Fact]
    public async Task Run_summary_lists_the_runs_jobs_stages_and_executors()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("summary", log.AppId, log.Lines)) await client.PostOkAsync(envelope);

        var summary = await LiveRunTests.GetJsonAsync(server.Client, $"/job/summary/{log.AppId}/summary");

        Assert.Equal(log.AppId, summary.GetProperty("application").GetProperty("id").GetString());
        Assert.Equal("SUCCEEDED", Assert.Single(summary.GetProperty("jobs").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal([1, 0], summary.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stageId").GetInt32()));
        Assert.Equal("driver", Assert.Single(summary.GetProperty("executors").EnumerateArray()).GetProperty("id").GetString());
        using var unknown = await server.Client.GetAsync("/job/summary/no-such-run/summary");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
