using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sparkwatch.Testing;

/// <summary>Reads the query API the way a user would, with names percent-encoded per path segment.</summary>
public sealed class SparkwatchApi(HttpClient http)
{
    /// <summary>The path of a run endpoint, e.g. <c>/job/a%2Fb/run%201/events</c>.</summary>
    public static string RunPath(string jobName, string runId, string suffix = "") =>
        $"/job/{Uri.EscapeDataString(jobName)}/{Uri.EscapeDataString(runId)}{suffix}";

    /// <summary>The run's events as NDJSON lines.</summary>
    public async Task<List<string>> EventsAsync(string jobName, string runId, params string[] types)
    {
        var query = types.Length == 0 ? "" : "?" + string.Join("&", types.Select(t => "type=" + Uri.EscapeDataString(t)));
        using var response = await http.GetAsync(RunPath(jobName, runId, "/events") + query);
        await EnsureOkAsync(response);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>GETs a JSON document and asserts 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await http.GetAsync(path);
        await EnsureOkAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>The run's duration document.</summary>
    public Task<JsonElement> DurationAsync(string jobName, string runId) => GetJsonAsync(RunPath(jobName, runId, "/duration"));

    /// <summary>Every job name, following the cursor through all pages.</summary>
    public Task<List<string>> AllJobNamesAsync(int pageSize = 100) => AllPagesAsync("/job", "jobs", "job_name", pageSize);

    /// <summary>Every run id of a job, newest first, following the cursor.</summary>
    public Task<List<string>> AllRunIdsAsync(string jobName, int pageSize = 100) =>
        AllPagesAsync($"/job/{Uri.EscapeDataString(jobName)}", "runs", "run_id", pageSize);

    private async Task<List<string>> AllPagesAsync(string path, string listName, string field, int pageSize)
    {
        var values = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync($"{path}?limit={pageSize}" + (cursor is null ? "" : "&cursor=" + cursor));
            values.AddRange(page.GetProperty(listName).EnumerateArray().Select(item => item.GetProperty(field).GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return values;
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
