using System.Text.Json.Nodes;
using static Sparkwatch.Tests.SparkApi.SyntheticEvents;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// A hand-built SQL run, events as Spark's JsonProtocol writes them: one execution whose job runs a map stage (4 tasks,
/// one index failing first) and a result stage (2 tasks), with SQL accumulables on the tasks and driver updates; and a
/// second execution whose 100 tasks report 100 distinct timings (more than the exact distribution keeps).
/// </summary>
public static class SqlMetricLog
{
    /// <summary>The application id.</summary>
    public const string App = "app-sql-metrics";

    private const string Ui = "org.apache.spark.sql.execution.ui.";

    // WholeStageCodegen (1) [duration] ← HashAggregate [rows, build time, peak memory, avg probe] ← InputAdapter ← Exchange [data size, records] ← Range [rows, files, metadata time].
    private static readonly JsonObject Plan = Node("WholeStageCodegen (1)", [("duration", 40, "timing")],
        Node("HashAggregate", [("number of output rows", 10, "sum"), ("time in aggregation build", 11, "timing"), ("peak memory", 12, "size"), ("avg hash probe bucket list iters", 13, "average")],
            Node("InputAdapter", [],
                Node("Exchange", [("data size", 20, "size"), ("shuffle records written", 21, "sum")],
                    Node("Range", [("number of output rows", 30, "sum"), ("number of files read", 31, "sum"), ("metadata time", 32, "timing")])))));

    /// <summary>How many events take the run to the end of the map stage (the execution still runs).</summary>
    public const int AfterMapStage = 12;

    /// <summary>The run's events in order.</summary>
    public static readonly string[] Events =
    [
        ApplicationStart(App),
        ExecutionStart(0, Plan, T0 + 100),
        JobStart(0, executionId: 0, (0, 4), (1, 2)),
        Stage("SparkListenerStageSubmitted", 0, 4),
        // Map stage: tasks 0-2 and 4 succeed (task 4 retries index 3, whose first attempt, task 3, failed).
        TaskEnd(0, 0, 0, (30, 1_000_000), (10, 1), (11, 5), (12, 3 << 20), (13, 15), (40, 7), (20, 100), (21, 10)),
        TaskEnd(0, 1, 1, (30, 1_000_000), (10, 1), (11, 10), (12, 1 << 20), (13, 25), (20, 200), (21, 10)),
        TaskEnd(0, 2, 2, (30, 1_000_000), (10, 1), (11, 20), (13, 0), (20, 300), (21, 10)),
        TaskEnd(0, 3, 3, failed: true, (30, 1_000_000), (11, 99_999)),
        TaskEnd(0, 4, 3, (30, 1_000_000), (10, 1), (11, 1000), (13, 35), (20, 400), (21, 10)),
        // A redelivered success of an index already done adds nothing.
        TaskEnd(0, 4, 3, (30, 1_000_000), (10, 1), (11, 1000), (13, 35), (20, 400), (21, 10)),
        // A speculative copy of index 0 ending after the index succeeded adds nothing either (Spark keeps one value per index).
        TaskEnd(0, 9, 0, (30, 1_000_000), (10, 1), (11, 77_777)),
        Stage("SparkListenerStageCompleted", 0, 4),
        Stage("SparkListenerStageSubmitted", 1, 2),
        // Result stage, then the driver's own values.
        TaskEnd(1, 5, 0, (20, 5000)),
        TaskEnd(1, 6, 1, (20, 50)),
        Stage("SparkListenerStageCompleted", 1, 2),
        Line(new JsonObject { ["Event"] = Ui + "SparkListenerDriverAccumUpdates", ["executionId"] = 0, ["accumUpdates"] = new JsonArray(new JsonArray(31, 5), new JsonArray(32, 7), new JsonArray(20, 10_000)) }),
        Line(new JsonObject { ["Event"] = "SparkListenerJobEnd", ["Job ID"] = 0, ["Completion Time"] = T0 + 900, ["Job Result"] = new JsonObject { ["Result"] = "JobSucceeded" } }),
        Line(new JsonObject { ["Event"] = Ui + "SparkListenerSQLExecutionEnd", ["executionId"] = 0, ["time"] = T0 + 950 }),
        // Execution 1: 100 tasks with timings 1..100 ms.
        ExecutionStart(1, Node("HashAggregate", [("time in aggregation build", 50, "timing")]), T0 + 1000),
        JobStart(1, executionId: 1, (2, 100)),
        .. Enumerable.Range(0, 100).Select(i => TaskEnd(2, 100 + i, i, (50, i + 1))),
        Line(new JsonObject { ["Event"] = "SparkListenerJobEnd", ["Job ID"] = 1, ["Completion Time"] = T0 + 1900, ["Job Result"] = new JsonObject { ["Result"] = "JobSucceeded" } }),
        Line(new JsonObject { ["Event"] = Ui + "SparkListenerSQLExecutionEnd", ["executionId"] = 1, ["time"] = T0 + 1950 }),
    ];

    /// <summary>Execution 0's nodes as Spark's SqlResource prints them, newest node first.</summary>
    public const string Nodes = """
        [{"nodeId":3,"nodeName":"Range","metrics":[
            {"name":"number of output rows","value":"4,000,000"},{"name":"number of files read","value":"5"},{"name":"metadata time","value":"7 ms"}]},
         {"nodeId":2,"nodeName":"Exchange","metrics":[
            {"name":"data size","value":"total (min, med, max (stageId: taskId))\n15.7 KiB (50.0 B, 300.0 B, 9.8 KiB (driver))"},
            {"name":"shuffle records written","value":"40"}]},
         {"nodeId":1,"nodeName":"HashAggregate","wholeStageCodegenId":1,"metrics":[
            {"name":"number of output rows","value":"4"},
            {"name":"time in aggregation build","value":"total (min, med, max (stageId: taskId))\n1.0 s (5 ms, 20 ms, 1.0 s (stage 0.0: task 4))"},
            {"name":"peak memory","value":"total (min, med, max (stageId: taskId))\n4.0 MiB (0.0 B, 1024.0 KiB, 3.0 MiB (stage 0.0: task 0))"},
            {"name":"avg hash probe bucket list iters","value":"(min, med, max (stageId: taskId)):\n(1.5, 2.5, 3.5 (stage 0.0: task 4))"}]},
         {"nodeId":0,"nodeName":"WholeStageCodegen (1)","metrics":[
            {"name":"duration","value":"total (min, med, max (stageId: taskId))\n7 ms (0 ms, 0 ms, 7 ms (stage 0.0: task 0))"}]}]
        """;

    /// <summary>Execution 0's data size while only the map stage has run.</summary>
    public const string DataSizeAfterMapStage = "total (min, med, max (stageId: taskId))\n1000.0 B (100.0 B, 300.0 B, 400.0 B (stage 0.0: task 4))";

    /// <summary>Execution 1's build time: exact min, max and total; the median (51 ms) read from its bucket [50, 52).</summary>
    public const string ManyTasksBuildTime = "total (min, med, max (stageId: taskId))\n5.1 s (1 ms, 51 ms, 100 ms (stage 2.0: task 199))";

    internal static JsonObject Node(string name, (string Name, long Id, string Type)[] metrics, params JsonObject[] children) => new()
    {
        ["nodeName"] = name, ["simpleString"] = name, ["children"] = new JsonArray([.. children]), ["metadata"] = new JsonObject(),
        ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["accumulatorId"] = m.Id, ["metricType"] = m.Type })]),
    };

    internal static string ExecutionStart(long id, JsonObject plan, long time) => Line(new JsonObject
    {
        ["Event"] = Ui + "SparkListenerSQLExecutionStart", ["executionId"] = id, ["description"] = $"query {id}", ["details"] = "",
        ["physicalPlanDescription"] = "== Physical Plan ==", ["sparkPlanInfo"] = plan, ["time"] = time, ["modifiedConfigs"] = new JsonObject(),
    });

    internal static string JobStart(int jobId, long executionId, params (int StageId, int Tasks)[] stages) => Line(new JsonObject
    {
        ["Event"] = "SparkListenerJobStart", ["Job ID"] = jobId, ["Submission Time"] = T0 + 200 + jobId,
        ["Stage Infos"] = new JsonArray([.. stages.Select(s => (JsonNode)StageInfo(s.StageId, s.Tasks, completed: false))]),
        ["Stage IDs"] = new JsonArray([.. stages.Select(s => (JsonNode)s.StageId)]),
        ["Properties"] = new JsonObject { ["spark.sql.execution.id"] = executionId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    });

    private static string Stage(string eventName, int stageId, int tasks) =>
        Line(new JsonObject { ["Event"] = eventName, ["Stage Info"] = StageInfo(stageId, tasks, eventName.EndsWith("Completed", StringComparison.Ordinal)), ["Properties"] = new JsonObject() });

    private static JsonObject StageInfo(int stageId, int tasks, bool completed)
    {
        var info = new JsonObject
        {
            ["Stage ID"] = stageId, ["Stage Attempt ID"] = 0, ["Stage Name"] = $"stage {stageId}", ["Number of Tasks"] = tasks,
            ["RDD Info"] = new JsonArray(), ["Parent IDs"] = new JsonArray(), ["Details"] = "", ["Accumulables"] = new JsonArray(), ["Resource Profile Id"] = 0,
        };
        if (completed)
        {
            info["Submission Time"] = T0 + 300;
            info["Completion Time"] = T0 + 800;
        }
        return info;
    }

    internal static string TaskEnd(int stageId, long taskId, int index, params (long Id, long Update)[] updates) => TaskEnd(stageId, taskId, index, false, updates);

    private static string TaskEnd(int stageId, long taskId, int index, bool failed, params (long Id, long Update)[] updates) => Line(new JsonObject
    {
        ["Event"] = "SparkListenerTaskEnd", ["Stage ID"] = stageId, ["Stage Attempt ID"] = 0, ["Task Type"] = stageId == 0 ? "ShuffleMapTask" : "ResultTask",
        ["Task End Reason"] = failed
            ? new JsonObject { ["Reason"] = "ExceptionFailure", ["Class Name"] = "java.lang.RuntimeException", ["Description"] = "boom", ["Stack Trace"] = new JsonArray(), ["Full Stack Trace"] = "boom" }
            : new JsonObject { ["Reason"] = "Success" },
        ["Task Info"] = new JsonObject
        {
            ["Task ID"] = taskId, ["Index"] = index, ["Attempt"] = 0, ["Partition ID"] = index, ["Launch Time"] = T0 + 400, ["Executor ID"] = "1", ["Host"] = "h1",
            ["Locality"] = "PROCESS_LOCAL", ["Speculative"] = false, ["Getting Result Time"] = 0, ["Finish Time"] = T0 + 500, ["Failed"] = failed, ["Killed"] = false,
            // Spark writes an accumulable's update as a string in event logs; one is a number here, as some writers do.
            ["Accumulables"] = new JsonArray([.. updates.Select((u, i) => (JsonNode)new JsonObject
            {
                ["ID"] = u.Id, ["Name"] = $"metric {u.Id}", ["Update"] = i == 0 ? JsonValue.Create(u.Update) : JsonValue.Create(u.Update.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["Value"] = "0", ["Internal"] = true, ["Count Failed Values"] = true, ["Metadata"] = "sql",
            }),
            new JsonObject { ["ID"] = 999, ["Name"] = "internal.metrics.executorRunTime", ["Update"] = 5, ["Value"] = 5, ["Internal"] = true, ["Count Failed Values"] = true }]),
        },
    });
}
