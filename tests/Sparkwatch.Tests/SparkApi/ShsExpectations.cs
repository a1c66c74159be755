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

    /// <summary>GETs the case's path and compares with its expectation as the suite does; fails with the first difference.</summary>
    public static async Task AssertMatchesAsync(HttpClient client, string path, string file)
    {
        using var response = await client.GetAsync("/api/v1/" + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file))).RootElement;
        var actual = JsonDocument.Parse(Normalized(body)).RootElement;
        Assert.Null(JsonTree.FirstDifference(expected, actual));
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
