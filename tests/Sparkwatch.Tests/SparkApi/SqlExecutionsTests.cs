using System.Text.Json.Nodes;
using Sparkwatch.Testing;
using static Sparkwatch.Tests.SparkApi.SyntheticEvents;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>SQL executions answer as Spark's SqlResource: status from the end and the jobs, the plan graph, paging, 404s.</summary>
public sealed class SqlExecutionsTests
{
    private const string App = "app-sql";
    private const string Prefix = $"/api/v1/applications/{App}";
    private const string Ui = "org.apache.spark.sql.execution.ui.";

    // A two-stage aggregation: WholeStageCodegen (2) [HashAggregate ← InputAdapter ← Exchange ← WholeStageCodegen (1) [HashAggregate ← Range]].
    private static readonly JsonObject Plan = Node("WholeStageCodegen (2)",
        Node("HashAggregate", Node("InputAdapter", Node("Exchange", Node("WholeStageCodegen (1)", Node("HashAggregate", Node("Range")))))));

    private static readonly string[] Events =
    [
        ApplicationStart(App),
        Line(new JsonObject
        {
            ["Event"] = Ui + "SparkListenerSQLExecutionStart", ["executionId"] = 0, ["description"] = "count at <console>:1", ["details"] = "",
            ["physicalPlanDescription"] = "== Physical Plan ==\nHashAggregate", ["sparkPlanInfo"] = Plan, ["time"] = T0 + 100, ["modifiedConfigs"] = new JsonObject(),
        }),
        JobStart(0, executionId: 0),
        // 3: the execution's job succeeds and it ends.
        Line(new JsonObject { ["Event"] = "SparkListenerJobEnd", ["Job ID"] = 0, ["Completion Time"] = T0 + 300, ["Job Result"] = new JsonObject { ["Result"] = "JobSucceeded" } }),
        Line(new JsonObject { ["Event"] = Ui + "SparkListenerSQLExecutionEnd", ["executionId"] = 0, ["time"] = T0 + 350 }),
        Line(new JsonObject
        {
            ["Event"] = Ui + "SparkListenerSQLExecutionStart", ["executionId"] = 1, ["description"] = "bad", ["details"] = "",
            ["physicalPlanDescription"] = "LocalTableScan", ["sparkPlanInfo"] = Node("LocalTableScan"), ["time"] = T0 + 400,
        }),
        JobStart(1, executionId: 1),
        Line(new JsonObject { ["Event"] = "SparkListenerJobEnd", ["Job ID"] = 1, ["Completion Time"] = T0 + 450, ["Job Result"] = new JsonObject { ["Result"] = "JobFailed" } }),
        Line(new JsonObject { ["Event"] = Ui + "SparkListenerSQLExecutionEnd", ["executionId"] = 1, ["time"] = T0 + 500, ["errorMessage"] = "boom" }),
    ];

    [Fact]
    public async Task Executions_carry_their_jobs_status_plan_graph_and_page_by_id()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var payloads = ListenerClient.Envelopes("sql", App, Events, batchSize: 1).ToList();
        foreach (var envelope in payloads.Take(3)) await client.PostOkAsync(envelope);

        var running = await LiveRunTests.GetJsonAsync(server.Client, $"{Prefix}/sql/0");
        Assert.Equal("RUNNING", running.GetProperty("status").GetString());
        Assert.Equal([0], running.GetProperty("runningJobIds").EnumerateArray().Select(j => j.GetInt32()));
        Assert.True(running.GetProperty("duration").GetInt64() > 0);

        foreach (var envelope in payloads.Skip(3)) await client.PostOkAsync(envelope);
        var completed = """
            {"id":0,"status":"COMPLETED","description":"count at <console>:1","planDescription":"== Physical Plan ==\nHashAggregate",
             "submissionTime":"2023-11-14T22:13:20.100GMT","duration":250,"runningJobIds":[],"successJobIds":[0],"failedJobIds":[],
             "nodes":[
               {"nodeId":5,"nodeName":"Range","wholeStageCodegenId":1,"metrics":[]},
               {"nodeId":4,"nodeName":"HashAggregate","wholeStageCodegenId":1,"metrics":[]},
               {"nodeId":3,"nodeName":"WholeStageCodegen (1)","metrics":[]},
               {"nodeId":2,"nodeName":"Exchange","metrics":[]},
               {"nodeId":1,"nodeName":"HashAggregate","wholeStageCodegenId":2,"metrics":[]},
               {"nodeId":0,"nodeName":"WholeStageCodegen (2)","metrics":[]}],
             "edges":[{"fromId":2,"toId":1},{"fromId":4,"toId":2},{"fromId":5,"toId":4}],
             "rootExecutionId":0}
            """;
        await RddStorageTests.AssertJsonAsync(server.Client, $"{Prefix}/sql/0", completed);
        await RddStorageTests.AssertJsonAsync(server.Client, $"{Prefix}/1/sql/0", completed);
        await RddStorageTests.AssertJsonAsync(server.Client, $"{Prefix}/sql/1?details=false&planDescription=false", """
            {"id":1,"status":"FAILED","description":"bad","planDescription":"","submissionTime":"2023-11-14T22:13:20.400GMT","duration":100,
             "runningJobIds":[],"successJobIds":[],"failedJobIds":[1],"nodes":[],"edges":[],"errorMessage":"boom","rootExecutionId":1}
            """);
        var all = await LiveRunTests.GetJsonAsync(server.Client, $"{Prefix}/sql");
        Assert.Equal([0L, 1L], all.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        var page = await LiveRunTests.GetJsonAsync(server.Client, $"{Prefix}/sql?offset=1&length=1");
        Assert.Equal(1, Assert.Single(page.EnumerateArray()).GetProperty("id").GetInt64());
        await RddStorageTests.AssertNotFoundAsync(server.Client, $"{Prefix}/sql/7");
        using var bad = await server.Client.GetAsync($"{Prefix}/sql?details=maybe");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static JsonObject Node(string name, params JsonObject[] children) => new()
    {
        ["nodeName"] = name, ["simpleString"] = name, ["children"] = new JsonArray([.. children]), ["metadata"] = new JsonObject(), ["metrics"] = new JsonArray(),
    };

    private static string JobStart(int jobId, long executionId) => Line(new JsonObject
    {
        ["Event"] = "SparkListenerJobStart", ["Job ID"] = jobId, ["Submission Time"] = T0 + 200 + jobId, ["Stage Infos"] = new JsonArray(),
        ["Stage IDs"] = new JsonArray(), ["Properties"] = new JsonObject { ["spark.sql.execution.id"] = executionId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    });
}
