using System.Text.Json.Nodes;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>Spark listener events as Spark's JsonProtocol writes them, for model rules the shared logs do not exercise.</summary>
public static class SyntheticEvents
{
    /// <summary>Milliseconds of the first event; each builder takes an offset from it.</summary>
    public const long T0 = 1_700_000_000_000;

    public static string ApplicationStart(string appId) =>
        Line(new JsonObject { ["Event"] = "SparkListenerApplicationStart", ["App Name"] = "synthetic", ["App ID"] = appId, ["Timestamp"] = T0, ["User"] = "alice" });

    public static string BlockManagerAdded(string executorId, string host, int port, long maxMemory, long? onHeap = null, long? offHeap = null)
    {
        var e = new JsonObject
        {
            ["Event"] = "SparkListenerBlockManagerAdded",
            ["Block Manager ID"] = BlockManagerId(executorId, host, port),
            ["Maximum Memory"] = maxMemory,
            ["Timestamp"] = T0 + 1,
        };
        if (onHeap is not null) e["Maximum Onheap Memory"] = onHeap;
        if (offHeap is not null) e["Maximum Offheap Memory"] = offHeap;
        return Line(e);
    }

    public static string ExecutorAdded(string executorId, string host, int cores, int resourceProfileId = 0) => Line(new JsonObject
    {
        ["Event"] = "SparkListenerExecutorAdded",
        ["Timestamp"] = T0 + 2,
        ["Executor ID"] = executorId,
        ["Executor Info"] = new JsonObject
        {
            ["Host"] = host, ["Total Cores"] = cores, ["Log Urls"] = new JsonObject(), ["Attributes"] = new JsonObject(),
            ["Resources"] = new JsonObject(), ["Resource Profile Id"] = resourceProfileId,
        },
    });

    public static string ExecutorRemoved(string executorId) =>
        Line(new JsonObject { ["Event"] = "SparkListenerExecutorRemoved", ["Timestamp"] = T0 + 50, ["Executor ID"] = executorId, ["Removed Reason"] = "lost" });

    /// <summary>A stage submission listing RDDs as (id, name, partitions, level), the level as <see cref="Level"/> gives it.</summary>
    public static string StageSubmitted(int stageId, params (int Id, string Name, int Partitions, JsonObject Level)[] rdds) => Line(new JsonObject
    {
        ["Event"] = "SparkListenerStageSubmitted",
        ["Stage Info"] = new JsonObject
        {
            ["Stage ID"] = stageId, ["Stage Attempt ID"] = 0, ["Stage Name"] = "count", ["Number of Tasks"] = 4,
            ["RDD Info"] = new JsonArray([.. rdds.Select(r => (JsonNode)new JsonObject
            {
                ["RDD ID"] = r.Id, ["Name"] = r.Name, ["Storage Level"] = r.Level, ["Number of Partitions"] = r.Partitions,
                ["Number of Cached Partitions"] = 0, ["Memory Size"] = 0, ["Disk Size"] = 0,
            })]),
            ["Parent IDs"] = new JsonArray(), ["Details"] = "", ["Submission Time"] = T0 + 10, ["Accumulables"] = new JsonArray(),
            ["Resource Profile Id"] = 0,
        },
        ["Properties"] = new JsonObject(),
    });

    public static JsonObject Level(bool disk, bool memory, bool offHeap = false, bool deserialized = true, int replication = 1) =>
        new() { ["Use Disk"] = disk, ["Use Memory"] = memory, ["Use Off Heap"] = offHeap, ["Deserialized"] = deserialized, ["Replication"] = replication };

    public static string BlockUpdated(string executorId, string host, int port, string blockId, JsonObject level, long memory, long disk) => Line(new JsonObject
    {
        ["Event"] = "SparkListenerBlockUpdated",
        ["Block Updated Info"] = new JsonObject
        {
            ["Block Manager ID"] = BlockManagerId(executorId, host, port), ["Block ID"] = blockId, ["Storage Level"] = level,
            ["Memory Size"] = memory, ["Disk Size"] = disk,
        },
    });

    public static string UnpersistRdd(int rddId) => Line(new JsonObject { ["Event"] = "SparkListenerUnpersistRDD", ["RDD ID"] = rddId });

    public static string Line(JsonObject e) => e.ToJsonString();

    private static JsonObject BlockManagerId(string executorId, string host, int port) =>
        new() { ["Executor ID"] = executorId, ["Host"] = host, ["Port"] = port };
}
