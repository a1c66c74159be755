using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sparkwatch.Testing;

/// <summary>Reads the query API the way a user would, with names percent-encoded per path segment.</summary>
public sealed class SparkwatchApi(HttpClient http)
{
    /// <summary>The path of a run endpoint, e.g. <c>/job/a%2Fb/run%201/events</c>.</summary>
    public static string RunPath(string jobName, string runId, string suffix = "") =>
        $"/job/{Segment(jobName)}/{Segment(runId)}{suffix}";

    /// <summary>A name as one path segment: percent-encoded, with the dots of a name <c>.</c> or <c>..</c> encoded too
    /// (unencoded, they are dot segments that clients and servers remove).</summary>
    public static string Segment(string name) => name is "." or ".." ? name.Replace(".", "%2E") : Uri.EscapeDataString(name);

    /// <summary>
    /// The absolute address of <paramref name="path"/>, to be sent exactly as written: <see cref="Uri"/> would otherwise
    /// decode <c>%2E</c> and remove the dot segments a name <c>.</c> or <c>..</c> makes.
    /// </summary>
    public static Uri Verbatim(HttpClient http, string path) =>
        new(http.BaseAddress!.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    /// <summary>The run's events as NDJSON lines.</summary>
    public async Task<List<string>> EventsAsync(string jobName, string runId, params string[] types)
    {
        var query = types.Length == 0 ? "" : "?" + string.Join("&", types.Select(t => "type=" + Uri.EscapeDataString(t)));
        using var response = await http.GetAsync(Verbatim(http, RunPath(jobName, runId, "/events") + query));
        await EnsureOkAsync(response);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>GETs a JSON document and asserts 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await http.GetAsync(Verbatim(http, path));
        await EnsureOkAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>The run's duration document.</summary>
    public Task<JsonElement> DurationAsync(string jobName, string runId) => GetJsonAsync(RunPath(jobName, runId, "/duration"));

    /// <summary>Every job name, following the cursor through all pages.</summary>
    public Task<List<string>> AllJobNamesAsync(int pageSize = 100) => AllPagesAsync("/job", "jobs", "job_name", pageSize);

    /// <summary>Every run id of a job, newest first, following the cursor.</summary>
    public Task<List<string>> AllRunIdsAsync(string jobName, int pageSize = 100) =>
        AllPagesAsync($"/job/{Segment(jobName)}", "runs", "run_id", pageSize);

    /// <summary>Waits until <paramref name="sink"/> runs in the server and has applied every accepted event (fails after <paramref name="timeout"/>).</summary>
    public async Task WaitForSinkAsync(string sink, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement state = default;
        while (DateTime.UtcNow < deadline)
        {
            state = (await GetJsonAsync("/sinks")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == sink);
            if (state.GetProperty("runs_here").GetBoolean() && state.GetProperty("lag_events").GetInt64() == 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Sink {sink} did not catch up within {timeout}: {state}");
    }

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
