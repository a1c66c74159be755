using System.Text.Json;
using Sparkwatch.Model;
using Sparkwatch.Testing;
using Sparkwatch.Tests.Import;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// SQL plan nodes carry their metric values as Spark's SQLAppStatusListener aggregates them and MetricUtils prints them,
/// whether the run arrives through <c>/collect</c> or <c>sparkwatch import</c>.
/// </summary>
public sealed class SqlMetricValuesTests
{
    private const string Prefix = $"/api/v1/applications/{SqlMetricLog.App}";

    [Fact]
    public async Task Collected_run_shows_live_then_final_metric_values()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var payloads = ListenerClient.Envelopes("sql-metrics", SqlMetricLog.App, SqlMetricLog.Events, batchSize: 1).ToList();
        foreach (var envelope in payloads.Take(SqlMetricLog.AfterMapStage)) await client.PostOkAsync(envelope);

        var running = await LiveRunTests.GetJsonAsync(server.Client, $"{Prefix}/sql/0");
        Assert.Equal("RUNNING", running.GetProperty("status").GetString());
        Assert.Equal(SqlMetricLog.DataSizeAfterMapStage, MetricValue(running, "Exchange", "data size"));
        Assert.Null(MetricValue(running, "Range", "number of files read")); // The driver has not posted it yet.

        foreach (var envelope in payloads.Skip(SqlMetricLog.AfterMapStage)) await client.PostOkAsync(envelope);
        await AssertFinalValuesAsync(server.Client);
    }

    [Fact]
    public async Task Imported_log_shows_the_same_metric_values()
    {
        using var logs = TestPaths.NewTempFolder();
        using var data = TestPaths.NewTempFolder();
        var log = Path.Combine(logs.Path, SqlMetricLog.App);
        await File.WriteAllLinesAsync(log, SqlMetricLog.Events);
        var (exitCode, output) = await ImportedRuns.RunAsync(log, "--data-dir", data.Path);
        Assert.True(exitCode == 0, output);
        await using var server = await ServerUnderTest.StartAsync(data.Path);
        await AssertFinalValuesAsync(server.Client);
    }

    [Fact]
    public void Redelivered_events_leave_the_metric_rows_as_one_delivery_does()
    {
        var once = new MemoryModelRows();
        var twice = new MemoryModelRows();
        var sessionOnce = new ModelSession(once);
        var sessionTwice = new ModelSession(twice);
        // Every event after the application start (a second start opens a new attempt, by the projector's attempt rule).
        foreach (var (line, position) in SqlMetricLog.Events.Select((l, i) => (l, i)))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            RunProjector.Apply(sessionOnce, 1, bytes);
            sessionOnce.Flush();
            for (var i = 0; i < (position == 0 ? 1 : 2); i++)
            {
                RunProjector.Apply(sessionTwice, 1, bytes);
                sessionTwice.Flush();
            }
        }
        var sqlKinds = new[] { ModelKind.SqlStageMetrics, ModelKind.SqlDriverMetrics };
        var expected = once.Rows.Where(r => sqlKinds.Contains(r.Key.Kind)).OrderBy(r => r.Key.ToString()).ToList();
        Assert.Equal(4, expected.Count); // Stages 0, 1, 2 and execution 0's driver values.
        var actual = twice.Rows.Where(r => sqlKinds.Contains(r.Key.Kind)).OrderBy(r => r.Key.ToString()).ToList();
        Assert.Equal(expected.Select(r => (r.Key, System.Text.Encoding.UTF8.GetString(r.Value))), actual.Select(r => (r.Key, System.Text.Encoding.UTF8.GetString(r.Value))));
    }

    private static async Task AssertFinalValuesAsync(HttpClient client)
    {
        var execution = await LiveRunTests.GetJsonAsync(client, $"{Prefix}/sql/0");
        Assert.Equal("COMPLETED", execution.GetProperty("status").GetString());
        Assert.Null(JsonTree.FirstDifference(JsonDocument.Parse(SqlMetricLog.Nodes).RootElement, execution.GetProperty("nodes")));

        var all = await LiveRunTests.GetJsonAsync(client, $"{Prefix}/sql?details=true");
        Assert.Equal(2, all.GetArrayLength());
        Assert.Null(JsonTree.FirstDifference(JsonDocument.Parse(SqlMetricLog.Nodes).RootElement, all[0].GetProperty("nodes")));
        Assert.Equal(SqlMetricLog.ManyTasksBuildTime, MetricValue(all[1], "HashAggregate", "time in aggregation build"));
        Assert.Equal(SqlMetricLog.ManyTasksBuildTime, MetricValue(await LiveRunTests.GetJsonAsync(client, $"{Prefix}/1/sql/1"), "HashAggregate", "time in aggregation build"));

        var plain = await LiveRunTests.GetJsonAsync(client, $"{Prefix}/sql/0?details=false");
        Assert.Equal(0, plain.GetProperty("nodes").GetArrayLength());
    }

    private static string? MetricValue(JsonElement execution, string nodeName, string metricName) =>
        execution.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("nodeName").GetString() == nodeName)
            .SelectMany(n => n.GetProperty("metrics").EnumerateArray())
            .Where(m => m.GetProperty("name").GetString() == metricName)
            .Select(m => m.GetProperty("value").GetString()).FirstOrDefault();

    private sealed class MemoryModelRows : IModelRows
    {
        public Dictionary<ModelKey, byte[]> Rows { get; } = [];
        private readonly Dictionary<(long, int, long), byte[]> _tasks = [];

        public byte[]? Read(ModelKey key) => Rows.GetValueOrDefault(key);

        public void Write(ModelKey key, byte[] document) => Rows[key] = document;

        public byte[]? ReadTask(long runPk, int attemptNo, long taskId) => _tasks.GetValueOrDefault((runPk, attemptNo, taskId));

        public void WriteTask(TaskColumns columns, byte[] document) => _tasks[(columns.RunPk, columns.AttemptNo, columns.TaskId)] = document;
    }
}
