using System.Net;
using System.Text.Json;
using Sparkwatch.Testing;
using static Sparkwatch.Tests.SparkApi.SyntheticEvents;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// RDD storage follows Spark's AppStatusListener: block updates cache partitions on executors, a dropped block or a
/// removed executor takes its share away, an unpersist removes the RDD, and executors count their blocks and bytes.
/// </summary>
public sealed class RddStorageTests
{
    private const string App = "app-rdd";
    private const string Prefix = $"/api/v1/applications/{App}";
    private const string Level = "Disk Memory Deserialized 1x Replicated";

    private int _sent;

    private static readonly string[] Events =
    [
        ApplicationStart(App),
        BlockManagerAdded("driver", "h0", 10, 1000, 1000, 0),
        ExecutorAdded("1", "h1", 2),
        BlockManagerAdded("1", "h1", 11, 1000, 800, 200),
        ExecutorAdded("2", "h2", 2),
        BlockManagerAdded("2", "h2", 12, 2000),
        StageSubmitted(0, (3, "cached", 4, SyntheticEvents.Level(disk: true, memory: true)), (4, "plain", 4, SyntheticEvents.Level(disk: false, memory: false))),
        BlockUpdated("1", "h1", 11, "rdd_3_0", SyntheticEvents.Level(disk: true, memory: true), 100, 0),
        BlockUpdated("2", "h2", 12, "rdd_3_1", SyntheticEvents.Level(disk: true, memory: true), 200, 50),
        BlockUpdated("1", "h1", 11, "broadcast_0_piece0", SyntheticEvents.Level(disk: false, memory: true), 10, 0),
        // 10: executor 2 goes, with partition rdd_3_1.
        ExecutorRemoved("2"),
        // 11: rdd_3_0 is dropped from executor 1.
        BlockUpdated("1", "h1", 11, "rdd_3_0", SyntheticEvents.Level(disk: false, memory: false), 100, 0),
        // 12: cached again, then unpersisted.
        BlockUpdated("1", "h1", 11, "rdd_3_2", SyntheticEvents.Level(disk: true, memory: true), 30, 0),
        UnpersistRdd(3),
        // 14: a later stage persists RDD 3 anew.
        StageSubmitted(1, (3, "cached", 4, SyntheticEvents.Level(disk: true, memory: true))),
    ];

    [Fact]
    public async Task Cached_partitions_follow_block_updates_executor_removal_drops_and_unpersist()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var payloads = ListenerClient.Envelopes("rdd", App, Events, batchSize: 1).ToList();
        async Task SendUpTo(int count)
        {
            foreach (var envelope in payloads.Take(count).Skip(_sent)) await client.PostOkAsync(envelope);
            _sent = count;
        }

        await SendUpTo(10);
        var twoExecutors = $$"""
            [{"id":3,"name":"cached","numPartitions":4,"numCachedPartitions":2,"storageLevel":"{{Level}}","memoryUsed":300,"diskUsed":50,
              "dataDistribution":[
                {"address":"h1:11","memoryUsed":100,"memoryRemaining":890,"diskUsed":0,"onHeapMemoryUsed":100,"offHeapMemoryUsed":0,
                 "onHeapMemoryRemaining":690,"offHeapMemoryRemaining":200},
                {"address":"h2:12","memoryUsed":200,"memoryRemaining":1800,"diskUsed":50}],
              "partitions":[
                {"blockName":"rdd_3_0","storageLevel":"{{Level}}","memoryUsed":100,"diskUsed":0,"executors":["1"]},
                {"blockName":"rdd_3_1","storageLevel":"{{Level}}","memoryUsed":200,"diskUsed":50,"executors":["2"]}]}]
            """;
        await AssertJsonAsync(server.Client, $"{Prefix}/storage/rdd", twoExecutors);
        await AssertJsonAsync(server.Client, $"{Prefix}/1/storage/rdd", twoExecutors);
        var single = JsonDocument.Parse(twoExecutors).RootElement[0].GetRawText();
        await AssertJsonAsync(server.Client, $"{Prefix}/storage/rdd/3", single);
        await AssertNotFoundAsync(server.Client, $"{Prefix}/storage/rdd/4");
        await AssertExecutorStorageAsync(server.Client, "1", rddBlocks: 1, memory: 110, disk: 0, usedOnHeap: 110);
        await AssertExecutorStorageAsync(server.Client, "2", rddBlocks: 1, memory: 200, disk: 50, usedOnHeap: null);

        await SendUpTo(11);
        await AssertJsonAsync(server.Client, $"{Prefix}/storage/rdd", $$"""
            [{"id":3,"name":"cached","numPartitions":4,"numCachedPartitions":1,"storageLevel":"{{Level}}","memoryUsed":100,"diskUsed":0,
              "dataDistribution":[
                {"address":"h1:11","memoryUsed":100,"memoryRemaining":890,"diskUsed":0,"onHeapMemoryUsed":100,"offHeapMemoryUsed":0,
                 "onHeapMemoryRemaining":690,"offHeapMemoryRemaining":200}],
              "partitions":[{"blockName":"rdd_3_0","storageLevel":"{{Level}}","memoryUsed":100,"diskUsed":0,"executors":["1"]}]}]
            """);

        await SendUpTo(12);
        var uncached = $$"""
            {"id":3,"name":"cached","numPartitions":4,"numCachedPartitions":0,"storageLevel":"{{Level}}","memoryUsed":0,"diskUsed":0,"partitions":[]}
            """;
        await AssertJsonAsync(server.Client, $"{Prefix}/storage/rdd", "[]");
        await AssertJsonAsync(server.Client, $"{Prefix}/storage/rdd/3", uncached);
        await AssertExecutorStorageAsync(server.Client, "1", rddBlocks: 0, memory: 10, disk: 0, usedOnHeap: 10);

        await SendUpTo(13);
        await AssertExecutorStorageAsync(server.Client, "1", rddBlocks: 1, memory: 40, disk: 0, usedOnHeap: 40);
        await SendUpTo(14);
        await AssertNotFoundAsync(server.Client, $"{Prefix}/storage/rdd/3");
        await AssertExecutorStorageAsync(server.Client, "1", rddBlocks: 0, memory: 10, disk: 0, usedOnHeap: 10);

        await SendUpTo(15);
        await AssertJsonAsync(server.Client, $"{Prefix}/storage/rdd/3", uncached);
    }

    private static async Task AssertExecutorStorageAsync(HttpClient client, string executorId, int rddBlocks, long memory, long disk, long? usedOnHeap)
    {
        var executors = await LiveRunTests.GetJsonAsync(client, $"{Prefix}/allexecutors");
        var exec = executors.EnumerateArray().Single(e => e.GetProperty("id").GetString() == executorId);
        Assert.Equal(rddBlocks, exec.GetProperty("rddBlocks").GetInt32());
        Assert.Equal(memory, exec.GetProperty("memoryUsed").GetInt64());
        Assert.Equal(disk, exec.GetProperty("diskUsed").GetInt64());
        if (usedOnHeap is { } used) Assert.Equal(used, exec.GetProperty("memoryMetrics").GetProperty("usedOnHeapStorageMemory").GetInt64());
    }

    internal static async Task AssertJsonAsync(HttpClient client, string path, string expectedJson)
    {
        var actual = await LiveRunTests.GetJsonAsync(client, path);
        Assert.Null(JsonTree.FirstDifference(JsonDocument.Parse(expectedJson).RootElement, actual));
    }

    internal static async Task AssertNotFoundAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
