using System.Text.Json.Nodes;
using Sparkwatch.Testing;
using static Sparkwatch.Tests.SparkApi.SyntheticEvents;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>Resource profiles reach the environment and executors' task slots; miscellaneous processes are listed.</summary>
public sealed class ResourceProfilesAndProcessesTests
{
    private const string App = "application_1555004656427_0144";
    private const string Prefix = $"/api/v1/applications/{App}";

    [Fact]
    public async Task Environment_lists_resource_profiles_and_executors_take_their_task_cpus()
    {
        string[] events =
        [
            ResourceProfile(0, ("cores", 1, ""), ("memory", 1024, ""), ("gpu", 1, "/home/u/getGpus")),
            Line(new JsonObject
            {
                ["Event"] = "SparkListenerEnvironmentUpdate",
                ["JVM Information"] = new JsonObject { ["Java Home"] = "/jvm", ["Java Version"] = "17", ["Scala Version"] = "version 2.13.8" },
                ["Spark Properties"] = new JsonObject(), ["Hadoop Properties"] = new JsonObject(), ["System Properties"] = new JsonObject(),
                ["Metrics Properties"] = new JsonObject(), ["Classpath Entries"] = new JsonObject(),
            }),
            ApplicationStart(App),
            ResourceProfile(1, ("cores", 4, ""), ("gpu", 1, "./getGpus")),
            ExecutorAdded("1", "h1", 4, resourceProfileId: 1),
            ExecutorAdded("2", "h2", 4),
            Line(new JsonObject
            {
                ["Event"] = "org.apache.spark.scheduler.SparkListenerMiscellaneousProcessAdded",
                ["time"] = 1618846550218,
                ["processId"] = "yarn-am",
                ["info"] = new JsonObject
                {
                    ["hostPort"] = "192.168.1.19:8042", ["cores"] = 1,
                    ["logUrlInfo"] = new JsonObject { ["stdout"] = "http://192.168.1.19:8042/stdout", ["stderr"] = "http://192.168.1.19:8042/stderr" },
                },
            }),
        ];
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("profiles", App, events, batchSize: 3)) await client.PostOkAsync(envelope);

        var environment = await LiveRunTests.GetJsonAsync(server.Client, $"{Prefix}/environment");
        Assert.Null(JsonTree.FirstDifference(JsonNodeElement("""
            [{"id":0,
              "executorResources":{
                "cores":{"resourceName":"cores","amount":1,"discoveryScript":"","vendor":""},
                "memory":{"resourceName":"memory","amount":1024,"discoveryScript":"","vendor":""},
                "gpu":{"resourceName":"gpu","amount":1,"discoveryScript":"/home/u/getGpus","vendor":""}},
              "taskResources":{"cpus":{"resourceName":"cpus","amount":1.0},"gpu":{"resourceName":"gpu","amount":1.0}}},
             {"id":1,
              "executorResources":{
                "cores":{"resourceName":"cores","amount":4,"discoveryScript":"","vendor":""},
                "gpu":{"resourceName":"gpu","amount":1,"discoveryScript":"./getGpus","vendor":""}},
              "taskResources":{"cpus":{"resourceName":"cpus","amount":2.0},"gpu":{"resourceName":"gpu","amount":1.0}}}]
            """), environment.GetProperty("resourceProfiles")));
        var executors = await LiveRunTests.GetJsonAsync(server.Client, $"{Prefix}/executors");
        int MaxTasks(string id) => executors.EnumerateArray().Single(e => e.GetProperty("id").GetString() == id).GetProperty("maxTasks").GetInt32();
        Assert.Equal(2, MaxTasks("1"));
        Assert.Equal(4, MaxTasks("2"));

        // Spark's golden file miscellaneous_process_expectation.json has this shape (log URLs shortened here).
        var processes = """
            [{"id":"yarn-am","hostPort":"192.168.1.19:8042","isActive":true,"totalCores":1,"addTime":"2021-04-19T15:35:50.218GMT",
              "processLogs":{"stdout":"http://192.168.1.19:8042/stdout","stderr":"http://192.168.1.19:8042/stderr"}}]
            """;
        await RddStorageTests.AssertJsonAsync(server.Client, $"{Prefix}/allmiscellaneousprocess", processes);
        await RddStorageTests.AssertJsonAsync(server.Client, $"{Prefix}/1/allmiscellaneousprocess", processes);
    }

    // Profile 0's tasks take one CPU, profile 1's two; each takes one GPU.
    private static string ResourceProfile(int id, params (string Name, long Amount, string Script)[] executorResources)
    {
        var executor = new JsonObject();
        foreach (var (name, amount, script) in executorResources)
        {
            executor[name] = new JsonObject { ["Resource Name"] = name, ["Amount"] = amount, ["Discovery Script"] = script, ["Vendor"] = "" };
        }
        return Line(new JsonObject
        {
            ["Event"] = "SparkListenerResourceProfileAdded",
            ["Resource Profile Id"] = id,
            ["Executor Resource Requests"] = executor,
            ["Task Resource Requests"] = new JsonObject
            {
                ["cpus"] = new JsonObject { ["Resource Name"] = "cpus", ["Amount"] = id == 0 ? 1.0 : 2.0 },
                ["gpu"] = new JsonObject { ["Resource Name"] = "gpu", ["Amount"] = 1.0 },
            },
        });
    }

    private static System.Text.Json.JsonElement JsonNodeElement(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement;
}
