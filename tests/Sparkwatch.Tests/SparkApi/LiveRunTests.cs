using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>A run streamed half-way answers with its running job and active stage; after the rest, as Spark's History Server.</summary>
public sealed class LiveRunTests
{
    [Fact]
    public async Task Half_streamed_run_shows_running_job_and_active_stage_then_the_final_answer()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        var payloads = ListenerClient.Envelopes("live", log.AppId, log.Lines, batchSize: 10).ToList();
        // Up to the middle of stage 0: its first tasks have started and some have ended.
        var firstEnd = log.Lines.ToList().FindIndex(l => l.Contains("\"SparkListenerTaskEnd\"", StringComparison.Ordinal));
        var half = firstEnd / 10 + 1;
        foreach (var envelope in payloads.Take(half)) await client.PostOkAsync(envelope);

        var jobs = await GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}/jobs");
        Assert.Equal("RUNNING", jobs[0].GetProperty("status").GetString());
        Assert.True(jobs[0].GetProperty("numActiveTasks").GetInt32() > 0);
        var active = await GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}/stages?status=active");
        var stage = Assert.Single(active.EnumerateArray());
        Assert.Equal(0, stage.GetProperty("stageId").GetInt32());
        var started = LinesBefore(log, half * 10, "SparkListenerTaskStart");
        var ended = LinesBefore(log, half * 10, "SparkListenerTaskEnd");
        Assert.Equal(started - ended, stage.GetProperty("numActiveTasks").GetInt32());
        Assert.Equal(ended, stage.GetProperty("numCompleteTasks").GetInt32());
        var application = await GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}");
        Assert.False(application.GetProperty("attempts")[0].GetProperty("completed").GetBoolean());

        foreach (var envelope in payloads.Skip(half)) await client.PostOkAsync(envelope);
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskList", "stage_task_list_expectation.json");
        jobs = await GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}/jobs");
        Assert.Equal("SUCCEEDED", jobs[0].GetProperty("status").GetString());
        Assert.Equal(0, jobs[0].GetProperty("numActiveTasks").GetInt32());
    }

    private static int LinesBefore(SparkEventLog log, int count, string eventType) =>
        log.Lines.Take(count).Count(l => l.Contains($"\"{eventType}\"", StringComparison.Ordinal) && l.Contains("\"Stage ID\":0,", StringComparison.Ordinal));

    internal static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
