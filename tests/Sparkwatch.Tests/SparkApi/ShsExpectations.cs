using System.Text.Json;
using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The cases of Spark's HistoryServerSuite in the shared data, and its comparison rules.</summary>
public static class ShsExpectations
{
    /// <summary>The folder of the expectation files.</summary>
    public static string Folder => Path.Combine(TestPaths.SharedData, "shs-expectations");

    /// <summary>The logs the cases are about.</summary>
    public static readonly string[] Logs =
    [
        Path.Combine(TestPaths.SparkEvents, "local-1430917381534"),
        Path.Combine(TestPaths.SparkEvents, "local-1426533911241", "EVENT_LOG_1"),
        Path.Combine(TestPaths.SparkEvents, "app-20161116163331-0000"),
    ];

    /// <summary>
    /// Starts a server and sends it each log through /collect as the listener would, <paramref name="batchSize"/> events
    /// per payload, the payloads of each log in the order <paramref name="order"/> gives (as built by default).
    /// </summary>
    public static async Task<ServerUnderTest> StartWithCollectedLogsAsync(string jobName, IEnumerable<string> logs, int batchSize,
        Func<List<string>, IEnumerable<string>>? order = null)
    {
        var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var path in logs)
        {
            var log = SparkEventLog.Read(path);
            var payloads = ListenerClient.Envelopes(jobName, log.AppId, log.Lines, batchSize).ToList();
            foreach (var envelope in order is null ? payloads : order(payloads)) await client.PostOkAsync(envelope);
        }
        return server;
    }

    /// <summary>Each case: its name, its REST path under /api/v1/ and its expectation file.</summary>
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Folder, "cases.tsv")).Skip(1).Where(l => l.Length > 0))
        {
            var fields = line.Split('\t');
            data.Add(fields[0], fields[1], fields[2]);
        }
        return data;
    }

    /// <summary>
    /// Fields the shared copy of the log cannot give: <c>app-20161116163331-0000</c> here is an older revision of Spark's
    /// test log than the one its golden files were made from. Its block manager events have no
    /// <c>Maximum Onheap/Offheap Memory</c> (the golden files show 384093388 + 524288000 = 908381388 as maxMemory) and its
    /// environment update has no Hadoop or Metrics properties. These fields are left out of both sides; every other
    /// field of those cases is compared.
    /// </summary>
    private static readonly Dictionary<string, string[]> NotInSharedLog = new()
    {
        ["executor_node_excludeOnFailure_expectation.json"] = ["memoryMetrics", "maxMemory"],
        ["app_environment_expectation.json"] = ["hadoopProperties", "metricsProperties"],
    };

    /// <summary>GETs the case's path and compares with its expectation as the suite does; fails with the first difference.</summary>
    public static async Task AssertMatchesAsync(HttpClient client, string path, string file)
    {
        using var response = await client.GetAsync("/api/v1/" + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        var omitted = NotInSharedLog.GetValueOrDefault(file, []);
        var expected = JsonDocument.Parse(Without(File.ReadAllText(Path.Combine(Folder, file)), omitted)).RootElement;
        var actual = JsonDocument.Parse(Without(Normalized(body), omitted)).RootElement;
        Assert.Null(JsonTree.FirstDifference(expected, actual));
    }

    // Removes the named fields from the top-level object, or from each object of a top-level array.
    private static string Without(string json, string[] fields)
    {
        var node = JsonNode.Parse(json)!;
        foreach (var o in node is JsonArray a ? a.OfType<JsonObject>() : [node.AsObject()])
        {
            foreach (var field in fields) o.Remove(field);
        }
        return node.ToJsonString();
    }

    // The suite blanks what depends on when the History Server read the log.
    private static string Normalized(string body)
    {
        var node = JsonNode.Parse(body);
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (key == "lastUpdated") o[key] = "";
                        else if (key == "lastUpdatedEpoch") o[key] = 0;
                        else Walk(o[key]);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a) Walk(item);
                    break;
            }
        }
        Walk(node);
        return node!.ToJsonString();
    }
}
