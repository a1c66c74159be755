using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>Two runs in different jobs with one application id are listed apart and never mixed.</summary>
public sealed class SharedApplicationIdTests
{
    [Fact]
    public async Task Runs_sharing_an_application_id_get_run_scoped_ids_and_their_own_data()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        foreach (var envelope in ListenerClient.Envelopes("nightly", log.AppId, log.Lines)) await client.PostOkAsync(envelope);
        // The second job's run stops after its first stage: its second stage stays pending, whatever the first job's did.
        var firstStageEnd = log.Lines.ToList().FindIndex(l => l.Contains("\"SparkListenerStageCompleted\"", StringComparison.Ordinal));
        foreach (var envelope in ListenerClient.Envelopes("adhoc", log.AppId, log.Lines.Take(firstStageEnd + 1))) await client.PostOkAsync(envelope);

        var apps = await LiveRunTests.GetJsonAsync(server.Client, "/api/v1/applications");
        var ids = apps.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList();
        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.StartsWith(log.AppId + "~", id, StringComparison.Ordinal));
        var secondStage = new List<string>();
        foreach (var id in ids) secondStage.Add((await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{id}/stages/1/0")).GetProperty("status").GetString()!);
        Assert.Equal(["COMPLETE", "PENDING"], secondStage.Order(StringComparer.Ordinal));

        var adhoc = await LiveRunTests.GetJsonAsync(server.Client, "/api/v1/applications?job=adhoc");
        var adhocId = Assert.Single(adhoc.EnumerateArray()).GetProperty("id").GetString();
        Assert.Contains(adhocId, ids);
        Assert.Equal("PENDING", (await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{adhocId}/stages/1/0")).GetProperty("status").GetString());
        Assert.False(adhoc[0].GetProperty("attempts")[0].GetProperty("completed").GetBoolean());
    }
}
