using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// A stage's task quantiles are kept once a read computed them, and computed again once more of its tasks succeeded:
/// a summary never lags the tasks it describes.
/// </summary>
public sealed class TaskSummaryCacheTests
{
    private const string App = "app-summary";
    private const string Summary = $"/api/v1/applications/{App}/stages/0/0/taskSummary";

    [Fact]
    public async Task Task_summary_and_stage_distributions_follow_tasks_that_succeed_after_the_first_read()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        // Two payloads of one run: the application, its stage and 20 tasks (42 events); then 11 more tasks.
        var payloads = ListenerClient.Envelopes("summary", "run-1",
            [Start(), Stage(), .. Tasks(0, 20, i => 100 + i * 10), .. Tasks(20, 10, i => 5_000 + i), .. Tasks(30, 1, _ => 9_999, failed: true)], batchSize: 42).ToList();
        await client.PostOkAsync(payloads[0]);

        var first = await RunTimesAsync(server.Client, Summary);
        var again = await RunTimesAsync(server.Client, Summary);
        Assert.Equal(Expected(Enumerable.Range(0, 20).Select(i => 100L + i * 10)), first);
        Assert.Equal(first, again);
        Assert.Equal((Expected(Enumerable.Range(0, 20).Select(i => 100L + i * 10), 0.5), 290), await SlowestStageAsync(server.Client));
        // A list of the client's own (kept in memory, not in the model), asked twice: the same answer.
        const string ChosenList = $"{Summary}?quantiles=0.01,0.5,0.99";
        var chosen = await RunTimesAsync(server.Client, ChosenList);
        Assert.Equal([100, 200, 290], chosen);
        Assert.Equal(chosen, await RunTimesAsync(server.Client, ChosenList));

        // Ten slow tasks succeed, one more fails: the next read must see the ten.
        await client.PostOkAsync(payloads[1]);

        var later = await RunTimesAsync(server.Client, Summary);
        var runTimes = Enumerable.Range(0, 20).Select(i => 100L + i * 10).Concat(Enumerable.Range(20, 10).Select(i => 5_000L + i)).ToList();
        Assert.Equal(Expected(runTimes), later);
        var stage = await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{App}/stages/0/0?details=false&withSummaries=true&quantiles=0.05,0.25,0.5,0.75,0.95");
        Assert.Equal(later, stage.GetProperty("taskMetricsDistributions").GetProperty("executorRunTime").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        // Quantiles in any order answer as Spark does: sorted (it sorts them before computing, on both paths).
        var unsorted = await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{App}/stages/0/0?details=false&withSummaries=true&quantiles=0.95,0.05,0.75,0.5,0.25");
        Assert.Equal(later, unsorted.GetProperty("taskMetricsDistributions").GetProperty("executorRunTime").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        Assert.Equal([0.05, 0.25, 0.5, 0.75, 0.95], unsorted.GetProperty("taskMetricsDistributions").GetProperty("quantiles").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(later, await RunTimesAsync(server.Client, $"{Summary}?quantiles=0.95,0.75,0.5,0.25,0.05"));
        // The client's list follows the stage too: what was kept for 20 successful tasks is not served for 30.
        Assert.Equal([100, Expected(runTimes, 0.5), 5_029], await RunTimesAsync(server.Client, ChosenList));
        var median = await LiveRunTests.GetJsonAsync(server.Client, $"{Summary}?quantiles=0.5,1.0");
        Assert.Equal([Expected(runTimes, 0.5), 5_029.0], median.GetProperty("executorRunTime").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal((Expected(runTimes, 0.5), 5_029), await SlowestStageAsync(server.Client));
    }

    // Spark's positions: the task at min(q × count, count − 1) in run-time order.
    private static double[] Expected(IEnumerable<long> runTimes) => [.. new[] { 0.05, 0.25, 0.5, 0.75, 0.95 }.Select(q => Expected(runTimes, q))];

    private static double Expected(IEnumerable<long> runTimes, double q)
    {
        var sorted = runTimes.Order().ToList();
        return sorted[(int)Math.Min((long)(q * sorted.Count), sorted.Count - 1)];
    }

    // The dashboard's run page shows each slow stage's median and longest task run time, from the same kept quantiles.
    private static async Task<(double Median, long Max)> SlowestStageAsync(HttpClient http)
    {
        var stage = (await LiveRunTests.GetJsonAsync(http, "/ui/api/run?job=summary&run=run-1")).GetProperty("slowest")[0];
        return (stage.GetProperty("median_task_ms").GetInt64(), stage.GetProperty("max_task_ms").GetInt64());
    }

    private static async Task<double[]> RunTimesAsync(HttpClient http, string path) =>
        [.. (await LiveRunTests.GetJsonAsync(http, path)).GetProperty("executorRunTime").EnumerateArray().Select(v => v.GetDouble())];

    private static string Start() => $$"""{"Event":"SparkListenerApplicationStart","App Name":"summary","App ID":"{{App}}","Timestamp":1700000000000,"User":"etl"}""";

    private static string Stage() =>
        """{"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":40,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":1700000001000,"Accumulables":[]},"Properties":{} }""";

    private static IEnumerable<string> Tasks(int first, int count, Func<int, long> runTime, bool failed = false)
    {
        for (var i = first; i < first + count; i++)
        {
            var launch = 1_700_000_002_000 + i;
            var info = $$"""{"Task ID":{{i}},"Index":{{i}},"Attempt":0,"Launch Time":{{launch}},"Executor ID":"1","Host":"h","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":{{launch + runTime(i)}},"Failed":{{(failed ? "true" : "false")}},"Killed":false,"Accumulables":[]}""";
            var reason = failed ? """{"Reason":"ExceptionFailure","Class Name":"E","Description":"boom","Stack Trace":[],"Accumulator Updates":[]}""" : """{"Reason":"Success"}""";
            yield return $$"""{"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,"Task Info":{{info}}}""";
            yield return $$"""{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{{reason}},"Task Info":{{info}},"Task Metrics":{"Executor Deserialize Time":1,"Executor Deserialize CPU Time":1,"Executor Run Time":{{runTime(i)}},"Executor CPU Time":1,"Result Size":1,"JVM GC Time":0,"Result Serialization Time":0,"Memory Bytes Spilled":0,"Disk Bytes Spilled":0,"Updated Blocks":[]} }""";
        }
    }
}
