using Microsoft.Extensions.DependencyInjection;
using Sparkwatch.Model;
using Sparkwatch.Storage;
using Sparkwatch.Testing;
using Api = Sparkwatch.Model.Api.SparkApi;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// The model sink keeps a stage's default task summaries (<c>taskSummary</c>'s, <c>withSummaries</c>' and the
/// dashboard's) as soon as it projected the stage's completion, so no read pays the scan of its tasks; a task that
/// succeeds later still makes the next read recompute them.
/// </summary>
public sealed class StageSummariesKeptOnCompletionTests
{
    private const string App = "app-kept-summaries";
    private const string Summary = $"/api/v1/applications/{App}/stages/0/0/taskSummary";

    [Fact]
    public async Task A_collected_log_has_the_summaries_of_its_completed_stages_kept_before_any_read()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("kept-summaries", log.AppId, log.Lines, batchSize: 25)) await client.PostOkAsync(envelope);
        await WaitForModelSinkAsync(server.Client, log.Lines.Count());

        // Read from the store, not through the API: no read has asked for a summary yet.
        var kept = await KeptRowsAsync(server, log.AppId);
        var runPk = await RunPkAsync(server, log.AppId);
        foreach (var stageId in new[] { 0, 1 })
        {
            foreach (var list in Api.KeptLists)
            {
                var id = TaskSummaryCache.Key(runPk, 1, stageId, 0, list.Quantiles, list.Metrics).Id;
                Assert.True(kept.ContainsKey(id), $"no kept row {id}; kept: {string.Join(" ", kept.Keys)}");
            }
        }

        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/0/0/taskSummary", "stage_task_summary_w_shuffle_write_expectation.json");
        await ShsExpectations.AssertMatchesAsync(server.Client, $"applications/{log.AppId}/stages/1/0/taskSummary", "stage_task_summary_w_shuffle_read_expectation.json");
        // The reads found the rows current: they answered from them and wrote nothing.
        Assert.Equal(kept, await KeptRowsAsync(server, log.AppId));
    }

    [Fact]
    public async Task A_task_that_succeeds_after_its_stage_completed_is_in_the_next_summary()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var payloads = Payloads();
        var client = new ListenerClient(server.Client);
        await client.PostOkAsync(payloads[0]);
        await WaitForModelSinkAsync(server.Client, CompletedRun().Count);

        var onTime = Enumerable.Range(0, 20).Select(i => 100L + i * 10).ToList();
        Assert.Equal(20, await KeptCountAsync(server, Api.DefaultSummaryQuantiles));

        // A speculative copy killed after the completion (not a success) and one that succeeded after it.
        await client.PostOkAsync(payloads[1]);
        await WaitForModelSinkAsync(server.Client, CompletedRun().Count + LateEnds().Count);
        Assert.Equal(20, await KeptCountAsync(server, Api.DefaultSummaryQuantiles));

        var runTimes = onTime.Append(9_000).ToList();
        Assert.Equal(Expected(runTimes), await RunTimesAsync(server.Client, Summary));
        Assert.Equal(21, await KeptCountAsync(server, Api.DefaultSummaryQuantiles));
        var slowest = (await LiveRunTests.GetJsonAsync(server.Client, "/ui/api/run?job=kept&run=run-1")).GetProperty("slowest")[0];
        Assert.Equal(9_000, slowest.GetProperty("max_task_ms").GetInt64());
    }

    [Fact]
    public async Task With_the_setting_off_a_summary_is_kept_only_once_a_read_computed_it()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Sinks:KeepStageSummaries=false");
        await new ListenerClient(server.Client).PostOkAsync(Payloads()[0]);
        await WaitForModelSinkAsync(server.Client, CompletedRun().Count);

        Assert.Empty(await KeptRowsAsync(server, App));
        Assert.Equal(Expected(Enumerable.Range(0, 20).Select(i => 100L + i * 10)), await RunTimesAsync(server.Client, Summary));
        Assert.Equal(20, await KeptCountAsync(server, Api.DefaultSummaryQuantiles));
    }

    private static List<string> Payloads() =>
        [.. ListenerClient.Envelopes("kept", "run-1", [.. CompletedRun(), .. LateEnds()], batchSize: CompletedRun().Count)];

    // The application, its stage, 20 successful tasks and the stage's completion.
    private static List<string> CompletedRun() =>
    [
        $$"""{"Event":"SparkListenerApplicationStart","App Name":"kept","App ID":"{{App}}","Timestamp":1700000000000,"User":"etl"}""",
        """{"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":20,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":1700000001000,"Accumulables":[]},"Properties":{} }""",
        .. Enumerable.Range(0, 20).SelectMany(i => TaskEvents(i, i, 100 + i * 10, "Success")),
        """{"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":20,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":1700000001000,"Completion Time":1700000009000,"Accumulables":[]}}""",
    ];

    private static List<string> LateEnds() => [.. TaskEvents(100, 5, 8_000, "TaskKilled"), .. TaskEvents(101, 3, 9_000, "Success")];

    private static IEnumerable<string> TaskEvents(int taskId, int index, long runTime, string reason)
    {
        var launch = 1_700_000_002_000 + taskId;
        var killed = reason == "TaskKilled";
        var info = $$"""{"Task ID":{{taskId}},"Index":{{index}},"Attempt":{{(taskId >= 100 ? 1 : 0)}},"Launch Time":{{launch}},"Executor ID":"1","Host":"h","Locality":"PROCESS_LOCAL","Speculative":{{(taskId >= 100 ? "true" : "false")}},"Getting Result Time":0,"Finish Time":{{launch + runTime}},"Failed":false,"Killed":{{(killed ? "true" : "false")}},"Accumulables":[]}""";
        var end = killed ? """{"Reason":"TaskKilled","Kill Reason":"another attempt succeeded","Accumulator Updates":[]}""" : """{"Reason":"Success"}""";
        yield return $$"""{"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,"Task Info":{{info}}}""";
        yield return $$"""{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{{end}},"Task Info":{{info}},"Task Metrics":{"Executor Deserialize Time":1,"Executor Deserialize CPU Time":1,"Executor Run Time":{{runTime}},"Executor CPU Time":1,"Result Size":1,"JVM GC Time":0,"Result Serialization Time":0,"Memory Bytes Spilled":0,"Disk Bytes Spilled":0,"Updated Blocks":[]} }""";
    }

    // Spark's positions: the task at min(q × count, count − 1) in run-time order.
    private static double[] Expected(IEnumerable<long> runTimes)
    {
        var sorted = runTimes.Order().ToList();
        return [.. Api.DefaultSummaryQuantiles.Select(q => (double)sorted[(int)Math.Min((long)(q * sorted.Count), sorted.Count - 1)])];
    }

    private static async Task<double[]> RunTimesAsync(HttpClient http, string path) =>
        [.. (await LiveRunTests.GetJsonAsync(http, path)).GetProperty("executorRunTime").EnumerateArray().Select(v => v.GetDouble())];

    // The sink's cursor moves with the projection; its applied count once the whole apply (summaries included) returned.
    private static async Task WaitForModelSinkAsync(HttpClient http, int events)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var model = (await LiveRunTests.GetJsonAsync(http, "/sinks")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "model");
            if (model.GetProperty("lag_events").GetInt64() == 0 && model.GetProperty("events_applied").GetInt64() >= events) return;
            Assert.True(DateTime.UtcNow < deadline, $"the model sink did not apply {events} events: {model}");
            await Task.Delay(100);
        }
    }

    private static IRunModelReader Reader(ServerUnderTest server) => (IRunModelReader)server.Server.App.Services.GetRequiredService<IEventStore>();

    private static async Task<long> RunPkAsync(ServerUnderTest server, string appId) =>
        (await Reader(server).FindRunsAsync(appId, null, CancellationToken.None)).Single().RunPk;

    private static async Task<Dictionary<string, byte[]>> KeptRowsAsync(ServerUnderTest server, string appId)
    {
        var rows = await Reader(server).ListAsync(await RunPkAsync(server, appId), -1, ModelKind.TaskSummary, CancellationToken.None);
        return rows.ToDictionary(r => r.Id, r => r.Document);
    }

    // The successful-task count the kept row of stage 0.0 for these quantiles (every metric) was computed at; -1 when none.
    private static async Task<long> KeptCountAsync(ServerUnderTest server, double[] quantiles)
    {
        var key = TaskSummaryCache.Key(await RunPkAsync(server, App), 1, 0, 0, quantiles, Api.KeptLists[0].Metrics);
        return await Reader(server).ReadAsync(key, CancellationToken.None) is { Length: >= 8 } row ? BitConverter.ToInt64(row, 0) : -1;
    }
}
