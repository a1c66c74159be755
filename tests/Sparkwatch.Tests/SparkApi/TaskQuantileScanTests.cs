using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// A stage's task quantiles are the same whichever way the store computes them (<c>Limits:TaskSummaryMemoryBytes</c>):
/// every metric in one scan sorted in memory, a few metrics per scan, or one ordered scan per metric sorted by the
/// store; over successful tasks only (failed and killed ones carry larger values), with ties.
/// </summary>
public sealed class TaskQuantileScanTests
{
    private const string App = "app-quantile-scan";
    private const int Succeeded = 60;
    private const string Quantiles = "0,0.05,0.1,0.25,0.33,0.5,0.66,0.75,0.9,0.95,0.99,1";

    private static readonly string[] Paths =
    [
        $"/api/v1/applications/{App}/stages/0/0/taskSummary",
        $"/api/v1/applications/{App}/stages/0/0/taskSummary?quantiles={Quantiles}",
        $"/api/v1/applications/{App}/stages/0/0/taskSummary?quantiles=0.5,1.0",
        $"/api/v1/applications/{App}/stages?withSummaries=true",
        $"/api/v1/applications/{App}/stages/0/0?details=false&withSummaries=true&quantiles={Quantiles}",
    ];

    [Fact]
    public async Task One_scan_a_few_metrics_per_scan_and_one_ordered_scan_per_metric_give_the_same_quantiles()
    {
        // 38 metrics: the default holds them all, 3 per scan is 13 scans (the last of 2), 0 bytes leaves the sorting to the store.
        var oneScan = await AnswersAsync();
        var threePerScan = await AnswersAsync($"--Sparkwatch:Limits:TaskSummaryMemoryBytes={3 * 8 * Succeeded}");
        var perMetric = await AnswersAsync("--Sparkwatch:Limits:TaskSummaryMemoryBytes=0");

        for (var i = 0; i < Paths.Length; i++)
        {
            Assert.Equal(perMetric[i], oneScan[i]);
            Assert.Equal(perMetric[i], threePerScan[i]);
        }
        // And they are Spark's: the value at min(q × count, count − 1) of the successful tasks' values, ties included.
        var summary = JsonDocument.Parse(oneScan[1]).RootElement;
        var quantiles = Quantiles.Split(',').Select(q => double.Parse(q, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Expected(quantiles, RunTime), Values(summary.GetProperty("executorRunTime")));
        Assert.Equal(Expected(quantiles, GcTime), Values(summary.GetProperty("jvmGcTime")));
        Assert.Equal(Expected(quantiles, ResultSize), Values(summary.GetProperty("resultSize")));
        Assert.Equal(Expected(quantiles, ShuffleRead), Values(summary.GetProperty("shuffleReadMetrics").GetProperty("readBytes")));
        Assert.Equal(Expected(quantiles, i => RunTime(i) + 1), Values(summary.GetProperty("duration")));
    }

    // Run times with long runs of ties; the other metrics tie differently, so each metric's order is its own.
    private static long RunTime(int i) => 100 + i / 7 * 10;

    private static long GcTime(int i) => i % 4 * 3;

    private static long ResultSize(int i) => 1_000 - i % 9 * 100;

    private static long ShuffleRead(int i) => i % 2 == 0 ? 5_000 : 5_000 + i;

    private static double[] Expected(double[] quantiles, Func<int, long> metric)
    {
        var sorted = Enumerable.Range(0, Succeeded).Select(metric).Order().ToList();
        return [.. quantiles.Select(q => (double)sorted[(int)Math.Min((long)(q * sorted.Count), sorted.Count - 1)])];
    }

    private static double[] Values(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    private static async Task<string[]> AnswersAsync(params string[] args)
    {
        await using var server = await ServerUnderTest.StartAsync(null, args);
        var client = new ListenerClient(server.Client);
        foreach (var payload in ListenerClient.Envelopes("quantile-scan", "run-1", Events(), batchSize: 50)) await client.PostOkAsync(payload);
        var answers = new string[Paths.Length];
        for (var i = 0; i < Paths.Length; i++)
        {
            using var response = await server.Client.GetAsync(Paths[i]);
            answers[i] = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {Paths[i]}: {(int)response.StatusCode} {answers[i]}");
        }
        return answers;
    }

    private static IEnumerable<string> Events()
    {
        yield return $$"""{"Event":"SparkListenerApplicationStart","App Name":"quantile-scan","App ID":"{{App}}","Timestamp":1700000000000,"User":"etl"}""";
        yield return """{"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"s","Number of Tasks":70,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":1700000001000,"Accumulables":[]},"Properties":{} }""";
        for (var i = 0; i < Succeeded; i++) foreach (var line in Task(i, i, RunTime(i), GcTime(i), ResultSize(i), ShuffleRead(i), """{"Reason":"Success"}""")) yield return line;
        // Failed and killed attempts with values above every successful one: they must not move a quantile.
        for (var i = 0; i < 5; i++)
        {
            foreach (var line in Task(100 + i, i, 90_000, 900, 90_000, 900_000, """{"Reason":"ExceptionFailure","Class Name":"E","Description":"boom","Stack Trace":[],"Accumulator Updates":[]}""", failed: true)) yield return line;
            foreach (var line in Task(200 + i, 10 + i, 80_000, 800, 80_000, 800_000, """{"Reason":"TaskKilled","Kill Reason":"another attempt succeeded"}""", killed: true)) yield return line;
        }
    }

    private static IEnumerable<string> Task(int id, int index, long runTime, long gcTime, long resultSize, long shuffleRead, string reason, bool failed = false, bool killed = false)
    {
        var launch = 1_700_000_002_000 + id;
        var info = $$"""{"Task ID":{{id}},"Index":{{index}},"Attempt":{{(id >= 100 ? 1 : 0)}},"Launch Time":{{launch}},"Executor ID":"{{id % 3 + 1}}","Host":"h","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":{{launch + runTime + 1}},"Failed":{{(failed ? "true" : "false")}},"Killed":{{(killed ? "true" : "false")}},"Accumulables":[]}""";
        yield return $$"""{"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,"Task Info":{{info}}}""";
        yield return $$"""{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,"Task Type":"ShuffleMapTask","Task End Reason":{{reason}},"Task Info":{{info}},"Task Metrics":{"Executor Deserialize Time":1,"Executor Deserialize CPU Time":1,"Executor Run Time":{{runTime}},"Executor CPU Time":1,"Result Size":{{resultSize}},"JVM GC Time":{{gcTime}},"Result Serialization Time":0,"Memory Bytes Spilled":0,"Disk Bytes Spilled":0,"Shuffle Read Metrics":{"Remote Blocks Fetched":1,"Local Blocks Fetched":1,"Fetch Wait Time":0,"Remote Bytes Read":{{shuffleRead}},"Remote Bytes Read To Disk":0,"Local Bytes Read":0,"Total Records Read":1},"Updated Blocks":[]} }""";
    }
}
