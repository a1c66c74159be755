using System.Net;
using System.Text.Json.Nodes;
using Sparkwatch.Testing;
using static Sparkwatch.Tests.SparkApi.SyntheticEvents;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>Absurd events and query parameters a client can send neither stop the run model nor make its reads fail.</summary>
public sealed class HostileModelInputTests
{
    private const string Ui = "org.apache.spark.sql.execution.ui.";

    [Fact]
    public async Task Times_beyond_the_calendar_read_back_without_a_server_error()
    {
        const string app = "app-far-times";
        string[] events =
        [
            ApplicationStart(app),
            Line(new JsonObject
            {
                ["Event"] = Ui + "SparkListenerSQLExecutionStart", ["executionId"] = 0, ["description"] = "far", ["details"] = "",
                ["physicalPlanDescription"] = "", ["sparkPlanInfo"] = new JsonObject { ["nodeName"] = "Range", ["children"] = new JsonArray() },
                ["time"] = long.MaxValue,
            }),
            Line(new JsonObject
            {
                ["Event"] = "org.apache.spark.scheduler.SparkListenerMiscellaneousProcessAdded", ["time"] = long.MinValue, ["processId"] = "yarn-am",
                ["info"] = new JsonObject { ["hostPort"] = "h:1", ["cores"] = 1, ["logUrlInfo"] = new JsonObject() },
            }),
        ];
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("far", app, events, batchSize: 1)) await client.PostOkAsync(envelope);

        var prefix = $"/api/v1/applications/{app}";
        var sql = await LiveRunTests.GetJsonAsync(server.Client, $"{prefix}/sql/0");
        Assert.Equal("far", sql.GetProperty("description").GetString());
        Assert.Equal(1, (await LiveRunTests.GetJsonAsync(server.Client, $"{prefix}/sql")).GetArrayLength());
        Assert.Equal("yarn-am", (await LiveRunTests.GetJsonAsync(server.Client, $"{prefix}/allmiscellaneousprocess"))[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task SQL_metric_updates_at_the_ends_of_long_read_back_without_a_server_error()
    {
        const string app = "app-huge-sql-metrics";
        (long, long)[] extremes = [(1, long.MaxValue), (2, long.MaxValue), (3, long.MaxValue), (4, long.MinValue), (5, long.MaxValue)];
        string[] events =
        [
            ApplicationStart(app),
            SqlMetricLog.ExecutionStart(0, SqlMetricLog.Node("HashAggregate",
                [("rows", 1, "sum"), ("size", 2, "size"), ("time", 3, "timing"), ("ns", 4, "nsTiming"), ("avg", 5, "average")]), T0 + 100),
            SqlMetricLog.JobStart(0, executionId: 0, (0, int.MaxValue), (1, 2)),
            SqlMetricLog.TaskEnd(0, 1, 0, extremes),
            SqlMetricLog.TaskEnd(1, 2, 0, extremes),
            SqlMetricLog.TaskEnd(1, 3, 1, [.. extremes.Skip(1).Select(e => (e.Item1, -e.Item2))]),
            SqlMetricLog.TaskEnd(1, 4, -7, (2, long.MinValue)),
            Line(new JsonObject
            {
                ["Event"] = Ui + "SparkListenerDriverAccumUpdates", ["executionId"] = 0,
                ["accumUpdates"] = new JsonArray(new JsonArray(1, long.MaxValue), new JsonArray(2, "x"), new JsonArray(3), new JsonArray(5, 1e300)),
            }),
        ];
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("huge-sql", app, events, batchSize: 1)) await client.PostOkAsync(envelope);

        var prefix = $"/api/v1/applications/{app}";
        var execution = await LiveRunTests.GetJsonAsync(server.Client, $"{prefix}/sql/0?details=true");
        Assert.Equal(5, execution.GetProperty("nodes")[0].GetProperty("metrics").GetArrayLength());
        Assert.Equal(1, (await LiveRunTests.GetJsonAsync(server.Client, $"{prefix}/sql?details=true")).GetArrayLength());
    }

    [Fact]
    public async Task A_resource_amount_beyond_double_range_does_not_stop_the_model()
    {
        const string app = "app-huge-amount";
        string[] events =
        [
            ApplicationStart(app),
            """{"Event":"SparkListenerResourceProfileAdded","Resource Profile Id":1,"Executor Resource Requests":{"cores":{"Resource Name":"cores","Amount":1e999,"Discovery Script":"","Vendor":""}},"Task Resource Requests":{"cpus":{"Resource Name":"cpus","Amount":1e999}}}""",
            ExecutorAdded("1", "h1", 4, resourceProfileId: 1),
        ];
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("huge", app, events, batchSize: 1)) await client.PostOkAsync(envelope);

        var executors = await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{app}/executors");
        Assert.Contains(executors.EnumerateArray(), e => e.GetProperty("id").GetString() == "1");
    }

    [Fact]
    public async Task A_sql_plan_deeper_than_the_default_json_depth_is_listed_with_every_node()
    {
        const string app = "app-deep-plan";
        const int depth = 100;
        var plan = new JsonObject { ["nodeName"] = "Range", ["children"] = new JsonArray() };
        for (var i = 1; i < depth; i++) plan = new JsonObject { ["nodeName"] = "Filter", ["children"] = new JsonArray(plan) };
        string[] events =
        [
            ApplicationStart(app),
            Line(new JsonObject
            {
                ["Event"] = Ui + "SparkListenerSQLExecutionStart", ["executionId"] = 0, ["description"] = "deep", ["details"] = "",
                ["physicalPlanDescription"] = "", ["sparkPlanInfo"] = plan, ["time"] = T0 + 10,
            }),
        ];
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("deep", app, events, batchSize: 1)) await client.PostOkAsync(envelope);

        var sql = await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{app}/sql/0");
        Assert.Equal(depth, sql.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task Lone_surrogates_in_process_and_profile_names_neither_stop_the_model_nor_fail_its_reads()
    {
        const string app = "app-lone-surrogate";
        string[] events =
        [
            ApplicationStart(app),
            """{"Event":"SparkListenerResourceProfileAdded","Resource Profile Id":1,"Executor Resource Requests":{"\ud800":{"Resource Name":"\udc00","Amount":1,"Discovery Script":"","Vendor":""}},"Task Resource Requests":{}}""",
            """{"Event":"org.apache.spark.scheduler.SparkListenerMiscellaneousProcessAdded","time":1,"processId":"\ud800am","info":{"hostPort":"\udfff","cores":1,"logUrlInfo":{"\ud800":"\udc00"}}}""",
            ExecutorAdded("1", "h1", 4),
        ];
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("lone", app, events, batchSize: 1))
        {
            using var response = await client.PostAsync(envelope);
            Assert.True(response.StatusCode < HttpStatusCode.InternalServerError, $"collect answered {(int)response.StatusCode}");
        }

        var prefix = $"/api/v1/applications/{app}";
        foreach (var path in new[] { "executors", "allmiscellaneousprocess", "environment" })
        {
            using var response = await server.Client.GetAsync($"{prefix}/{path}");
            Assert.True(response.StatusCode < HttpStatusCode.InternalServerError, $"{path} answered {(int)response.StatusCode}");
        }
        Assert.Contains((await LiveRunTests.GetJsonAsync(server.Client, $"{prefix}/executors")).EnumerateArray(), e => e.GetProperty("id").GetString() == "1");
    }

    [Fact]
    public async Task Hostile_query_parameters_are_answered_without_a_server_error()
    {
        const string app = "app-hostile-query";
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("q", app, [ApplicationStart(app)], batchSize: 1)) await client.PostOkAsync(envelope);

        var prefix = $"/api/v1/applications/{app}";
        string[] urls =
        [
            $"{prefix}/sql?offset=-5&length=-1", $"{prefix}/sql?offset=2147483647&length=2147483647", $"{prefix}/sql?offset=99999999999",
            $"{prefix}/sql?offset=abc", $"{prefix}/sql?length=1e3", $"{prefix}/sql?details=maybe", $"{prefix}/sql/-1",
            $"{prefix}/sql/99999999999999999999", $"{prefix}/sql/9223372036854775807", $"{prefix}/storage/rdd/-2147483648",
            $"{prefix}/storage/rdd/99999999999", $"{prefix}/storage/rdd/x", $"{prefix}/1", $"{prefix}/-1", $"{prefix}/%00",
            $"{prefix}/stages/0/0/taskSummary?quantiles=-1", $"{prefix}/stages/0/0/taskSummary?quantiles=NaN", $"{prefix}/stages/0/0/taskSummary?quantiles=1e400",
            $"{prefix}/stages/0/0/taskList?offset=-1&length=-1", $"{prefix}/stages/0/0/taskList?offset=2147483647&length=2147483647",
            $"{prefix}/stages/0/0/taskList?sortBy=nonsense", $"{prefix}/stages/-1/-1/taskList?offset=99999999999",
            "/api/v1/applications?limit=-1", "/api/v1/applications?limit=0", "/api/v1/applications?limit=2147483647", "/api/v1/applications?limit=99999999999",
            "/api/v1/applications?minDate=99999999999999999999", "/api/v1/applications?minDate=9223372036854775807&maxEndDate=-9223372036854775808",
            "/api/v1/applications?minDate=10000-01-01", "/api/v1/applications?maxEndDate=9999-12-31T23:59:59.999GMT", "/api/v1/applications?minEndDate=abc",
        ];
        foreach (var url in urls)
        {
            using var response = await server.Client.GetAsync(url);
            Assert.True(response.StatusCode < HttpStatusCode.InternalServerError, $"{url} answered {(int)response.StatusCode}");
        }
    }
}
