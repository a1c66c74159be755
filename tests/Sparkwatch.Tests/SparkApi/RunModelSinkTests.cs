using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// The run model is kept by a sink of the accepted stream, behind the acknowledgement: it catches up on its own (its
/// lag visible in <c>/sinks</c>), and a read of the model never waits for it nor misses an acknowledged event.
/// </summary>
public sealed class RunModelSinkTests
{
    [Fact]
    public async Task The_model_sink_catches_up_behind_the_acknowledgements_and_shows_its_lag()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var log = await PostLogAsync(server);

        // The cursor moves with the projection's commit, the runner's count just after it: wait for both.
        var model = await WaitForModelSinkAsync(server.Client, s => s.GetProperty("lag_events").GetInt64() == 0
            && s.GetProperty("events_applied").GetInt64() >= log.Lines.Count());
        Assert.True(model.GetProperty("runs_here").GetBoolean());
        Assert.Equal(log.Lines.Count(), model.GetProperty("events_applied").GetInt64());
        // What this process committed reached the sink from memory, not read back from the store.
        Assert.InRange(model.GetProperty("events_from_memory").GetInt64(), 1, log.Lines.Count());
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskList", "stage_task_list_expectation.json");
    }

    [Fact]
    public async Task With_the_handoff_off_the_sink_reads_every_payload_back_from_the_store_to_the_same_model()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Sinks:HandoffBytes=0");
        var log = await PostLogAsync(server);

        var model = await WaitForModelSinkAsync(server.Client, s => s.GetProperty("lag_events").GetInt64() == 0
            && s.GetProperty("events_applied").GetInt64() >= log.Lines.Count());
        Assert.Equal((long)log.Lines.Count(), model.GetProperty("events_applied").GetInt64());
        Assert.Equal(0, model.GetProperty("events_from_memory").GetInt64());
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskList", "stage_task_list_expectation.json");
    }

    [Fact]
    public async Task Without_the_sink_running_a_read_catches_its_run_up_exactly_once()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Roles:0=collector", "--Sparkwatch:Roles:1=query");
        var log = await PostLogAsync(server);

        var model = await WaitForModelSinkAsync(server.Client, _ => true);
        Assert.False(model.GetProperty("runs_here").GetBoolean());
        Assert.Equal(log.Lines.Count(), model.GetProperty("lag_events").GetInt64());
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskList", "stage_task_list_expectation.json");
        // Read twice: the second read finds the model current and projects nothing again.
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskList", "stage_task_list_expectation.json");
        Assert.Equal(0, (await WaitForModelSinkAsync(server.Client, _ => true)).GetProperty("lag_events").GetInt64());
    }

    [Fact]
    public async Task Reads_catching_a_run_up_while_the_sink_applies_it_fold_every_event_exactly_once()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        using var posted = new CancellationTokenSource();
        // Each read projects what its run accepted since the model's cursor, racing the sink and the other readers.
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!posted.IsCancellationRequested) (await server.Client.GetAsync($"/api/v1/applications/{log.AppId}/stages")).Dispose();
        })).ToList();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("model-race", log.AppId, log.Lines, batchSize: 5)) await client.PostOkAsync(envelope);
        await posted.CancelAsync();
        await Task.WhenAll(readers);

        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskList", "stage_task_list_expectation.json");
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskSummary", "stage_task_summary_w_shuffle_write_expectation.json");
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/1/0/taskSummary", "stage_task_summary_w_shuffle_read_expectation.json");
    }

    private static async Task<SparkEventLog> PostLogAsync(ServerUnderTest server)
    {
        var client = new ListenerClient(server.Client);
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        foreach (var envelope in ListenerClient.Envelopes("model-sink", log.AppId, log.Lines, batchSize: 25)) await client.PostOkAsync(envelope);
        return log;
    }

    private static async Task<JsonElement> WaitForModelSinkAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var sinks = await LiveRunTests.GetJsonAsync(client, "/sinks");
            var model = sinks.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "model");
            if (done(model) || DateTime.UtcNow > deadline) return model;
            await Task.Delay(100);
        }
    }
}
