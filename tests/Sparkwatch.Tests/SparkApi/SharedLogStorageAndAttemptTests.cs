using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The shared logs' persisted RDDs and application attempts answer as Spark's History Server does.</summary>
public sealed class SharedLogStorageAndAttemptTests(SharedLogStorageAndAttemptTests.Server server) : IClassFixture<SharedLogStorageAndAttemptTests.Server>
{
    [Fact]
    public async Task Persisted_rdd_without_block_updates_is_listed_by_id_but_not_among_cached_rdds()
    {
        // Spark's golden file one_rdd_storage_json_expectation.json, for local-1422981780767: a run of the same
        // program as local-1422981759269, whose RDD 0 is persisted in memory and never reported as cached (Spark 1.2
        // logs have no block updates).
        await RddStorageTests.AssertJsonAsync(server.Client, "/api/v1/applications/local-1422981759269/storage/rdd/0", """
            {"id":0,"name":"0","numPartitions":8,"numCachedPartitions":0,"storageLevel":"Memory Deserialized 1x Replicated",
             "memoryUsed":0,"diskUsed":0,"partitions":[]}
            """);
        await RddStorageTests.AssertJsonAsync(server.Client, "/api/v1/applications/local-1422981759269/storage/rdd", "[]");
        await RddStorageTests.AssertNotFoundAsync(server.Client, "/api/v1/applications/local-1422981759269/storage/rdd/1");
    }

    [Fact]
    public async Task Unpersisted_rdd_is_gone()
    {
        await RddStorageTests.AssertNotFoundAsync(server.Client, "/api/v1/applications/application_1538416563558_0014/storage/rdd/5");
        await RddStorageTests.AssertJsonAsync(server.Client, "/api/v1/applications/application_1538416563558_0014/storage/rdd", "[]");
        var executors = await LiveRunTests.GetJsonAsync(server.Client, "/api/v1/applications/application_1538416563558_0014/allexecutors");
        Assert.All(executors.EnumerateArray(), e => Assert.Equal(0, e.GetProperty("rddBlocks").GetInt32()));
    }

    [Fact]
    public async Task Each_attempt_is_served_alone_as_in_the_application()
    {
        var application = await LiveRunTests.GetJsonAsync(server.Client, "/api/v1/applications/local-1430917381535");
        var attempts = application.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["2", "1"], attempts.Select(a => a.GetProperty("attemptId").GetString()));
        foreach (var attempt in attempts)
        {
            await RddStorageTests.AssertJsonAsync(server.Client, $"/api/v1/applications/local-1430917381535/{attempt.GetProperty("attemptId").GetString()}", attempt.GetRawText());
        }
        Assert.Equal(57, attempts[0].GetProperty("duration").GetInt64());
        await RddStorageTests.AssertNotFoundAsync(server.Client, "/api/v1/applications/local-1430917381535/3");
        await RddStorageTests.AssertNotFoundAsync(server.Client, "/api/v1/applications/no-such-app/1");
    }

    /// <summary>One server that received the logs through /collect (the two attempts of local-1430917381535 as one run, as YARN sends them).</summary>
    public sealed class Server : IAsyncLifetime
    {
        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public async Task InitializeAsync()
        {
            _server = await ShsExpectations.StartWithCollectedLogsAsync("storage", [
                Path.Combine(TestPaths.SparkEvents, "local-1422981759269"),
                Path.Combine(TestPaths.SparkEvents, "application_1538416563558_0014"),
                Path.Combine(TestPaths.SparkEvents, "local-1430917381535_1"),
                Path.Combine(TestPaths.SparkEvents, "local-1430917381535_2"),
            ], batchSize: 25);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();
    }
}
