using System.Text.Json.Nodes;

namespace Sparkwatch.Senders.Tests;

/// <summary>Reads a run back through the query API.</summary>
public static class RunReader
{
    /// <summary>The run's path under /job.</summary>
    public static string PathOf(string job, string run) => $"/job/{Uri.EscapeDataString(job)}/{Uri.EscapeDataString(run)}";

    /// <summary>The run's events as served, one JSON per line.</summary>
    public static async Task<string[]> EventsAsync(HttpClient http, string job, string run)
    {
        var text = await http.GetStringAsync(PathOf(job, run) + "/events");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The run's <c>/duration</c> answer without its names, to compare two runs.</summary>
    public static async Task<string> DurationAsync(HttpClient http, string job, string run)
    {
        var node = JsonNode.Parse(await http.GetStringAsync(PathOf(job, run) + "/duration"))!.AsObject();
        node.Remove("job_name");
        node.Remove("run_id");
        return node.ToJsonString();
    }

    /// <summary>The run's facts (GET /job/{job}/{run}), or null when it does not exist yet.</summary>
    public static async Task<JsonNode?> RunAsync(HttpClient http, string job, string run)
    {
        using var response = await http.GetAsync(PathOf(job, run));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    /// <summary>Waits (bounded) until the run holds <paramref name="count"/> events; returns the count it saw last.</summary>
    public static async Task<long> WaitForEventCountAsync(HttpClient http, string job, string run, long count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        long seen = -1;
        while (DateTime.UtcNow < deadline)
        {
            seen = (await RunAsync(http, job, run))?["event_count"]?.GetValue<long>() ?? -1;
            if (seen >= count) return seen;
            await Task.Delay(50);
        }
        return seen;
    }
}
