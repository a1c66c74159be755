using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Sparkwatch.Testing;

namespace Sparkwatch.Dashboard.Tests;

/// <summary>The dashboard's pages in Chromium against the real service loaded with the shared logs and the listener capture.</summary>
public sealed partial class DashboardPagesTests(DashboardServer dashboard) : IClassFixture<DashboardServer>
{
    internal static string RunHash(string job, string run) => $"#/job/{Uri.EscapeDataString(job)}/run/{Uri.EscapeDataString(run)}";

    [Fact]
    public async Task The_jobs_page_lists_every_job_without_a_console_error_or_failed_request()
    {
        var page = await dashboard.OpenAsync("");
        var listed = await page.Page.Locator("#jobs-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.job)");
        Assert.Equal(dashboard.Jobs.Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        await page.ScreenshotAsync("jobs");
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Every_run_page_shows_the_duration_stage_count_and_efficiency_the_service_computes()
    {
        foreach (var (job, runs) in dashboard.Jobs)
        {
            foreach (var run in runs)
            {
                var page = await dashboard.OpenAsync(RunHash(job, run));
                var duration = await dashboard.Server.Client.GetFromJsonAsync<JsonElement>($"/job/{Uri.EscapeDataString(job)}/{Uri.EscapeDataString(run)}/duration");
                var summary = await dashboard.Server.Client.GetFromJsonAsync<JsonElement>($"/job/{Uri.EscapeDataString(job)}/{Uri.EscapeDataString(run)}/summary");
                var view = await dashboard.Server.Client.GetFromJsonAsync<JsonElement>($"/ui/api/run?job={Uri.EscapeDataString(job)}&run={Uri.EscapeDataString(run)}");
                var expectedMs = duration.GetProperty("duration_ms") is { ValueKind: JsonValueKind.Number } ms ? ms.GetInt64().ToString() : "";
                Assert.Equal(expectedMs, await page.Page.GetAttributeAsync("#run-duration", "data-ms"));
                Assert.Equal(summary.GetProperty("stages").GetArrayLength().ToString(), await page.Page.TextContentAsync("#stage-count"));
                if (view.GetProperty("efficiency") is { ValueKind: JsonValueKind.Object } efficiency && efficiency.GetProperty("value") is { ValueKind: JsonValueKind.Number } value)
                {
                    Assert.Equal(value.GetDouble(), double.Parse(await page.Page.GetAttributeAsync("#efficiency", "data-value") ?? "NaN"), 6);
                    var shown = double.Parse((await page.Page.TextContentAsync("#efficiency"))!.TrimEnd('%', ' '), System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(value.GetDouble() * 100, shown, 0.051);
                }
                Assert.True(page.Problems.Count == 0, $"{job}/{run}: {string.Join("; ", page.Problems)}");
                await page.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task A_run_page_draws_one_timeline_bar_per_job_and_stage_and_two_executor_series()
    {
        var log = DashboardServer.SharedLogs().First(l => l.AppId == "app-20161116163331-0000");
        var job = dashboard.Jobs.Single(j => j.Value.Contains(log.AppId)).Key;
        var page = await dashboard.OpenAsync(RunHash(job, log.AppId));
        var summary = await dashboard.Server.Client.GetFromJsonAsync<JsonElement>($"/job/{job}/{log.AppId}/summary");
        var expectedBars = summary.GetProperty("jobs").GetArrayLength() + summary.GetProperty("stages").GetArrayLength();
        Assert.True(expectedBars > 0);
        Assert.Equal(expectedBars, await page.Page.Locator("#timeline svg rect.bar").CountAsync());
        Assert.Equal("2", await page.Page.GetAttributeAsync("#cores-chart", "data-series"));
        Assert.True(await CanvasHasInkAsync(page.Page, "#cores-chart canvas"), "the executor chart's canvas is blank");
        await page.ScreenshotAsync("run");
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Searching_from_the_header_and_from_a_failure_lists_hits_linked_to_their_runs()
    {
        await new SparkwatchApi(dashboard.Server.Client).WaitForSinkAsync("search", TimeSpan.FromMinutes(2));
        var log = DashboardServer.SharedLogs().First(l => l.AppId == "app-20161116163331-0000");
        var job = dashboard.Jobs.Single(j => j.Value.Contains(log.AppId)).Key;
        var runLink = RunHash(job, log.AppId);

        var page = await dashboard.OpenAsync("");
        await page.Page.Locator("#search-q").WaitForAsync(); // visible once the service said it serves /search
        await page.Page.FillAsync("#search-q", "RuntimeException bad exec");
        await page.Page.PressAsync("#search-q", "Enter");
        await page.Page.WaitForURLAsync("**/#/search?q=RuntimeException+bad+exec");
        await page.WaitReadyAsync();
        var hitRuns = await page.Page.Locator("#search-hits a.hit-run").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Contains(runLink, hitRuns);
        Assert.True(await page.Page.Locator("#search-hits mark").CountAsync() > 0, "no match is marked in the snippets");
        // The snippet's text between the marks is kept as the service sent it (spaces included, entities decoded once).
        Assert.Contains(await page.Page.Locator("#search-hits td.snippet").AllInnerTextsAsync(), text => text.Contains("RuntimeException: bad exec"));
        await page.ScreenshotAsync("search");
        await page.Page.Locator($"#search-hits a.hit-run[href='{runLink}']").First.ClickAsync();
        await page.Page.WaitForURLAsync("**/" + runLink);
        await page.WaitReadyAsync();

        // The run's failures each link to a search for their error, which finds this run again.
        var failureSearch = page.Page.Locator("#failures a.needs-search").First;
        await failureSearch.ClickAsync();
        await page.WaitReadyAsync();
        Assert.Contains("#/search?q=", page.Page.Url);
        Assert.Contains(runLink, await page.Page.Locator("#search-hits a.hit-run").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"));

        // A search scoped to the job from its run page shows only that job's hits.
        await page.GoAsync(new Uri(dashboard.Server.BaseAddress, "/" + runLink).ToString());
        await page.Page.FillAsync("#search-job-q", "exec");
        await page.Page.PressAsync("#search-job-q", "Enter");
        await page.Page.WaitForURLAsync($"**/#/search?q=exec&job={Uri.EscapeDataString(job)}");
        await page.WaitReadyAsync();
        var jobs = await page.Page.Locator("#search-hits tbody tr td:first-child a:first-child").AllTextContentsAsync();
        Assert.NotEmpty(jobs);
        Assert.All(jobs, j => Assert.Equal(job, j));
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_runs_page_flags_the_synthetic_slow_run_as_a_regression_and_only_it()
    {
        var runs = await dashboard.Server.Client.GetStringAsync($"/ui/api/runs?job={DashboardServer.NightlyJob}");
        var page = await dashboard.OpenAsync($"#/job/{DashboardServer.NightlyJob}");
        var flagged = await page.Page.Locator("#runs-table tbody tr.regression").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.run)");
        Assert.True(flagged.SequenceEqual([DashboardServer.SlowRun]), runs);
        Assert.Contains("median + 3 × MAD", await page.Page.TextContentAsync("#rule"));
        Assert.Equal("3", await page.Page.GetAttributeAsync("#duration-chart", "data-series"));
        Assert.True(await CanvasHasInkAsync(page.Page, "#duration-chart canvas"), "the duration chart's canvas is blank");
        await page.Page.Locator("#runs-table tbody td[data-col=efficiency]").First.Filter(new LocatorFilterOptions { HasNotText = "…" }).WaitForAsync();
        await page.ScreenshotAsync("runs");
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Comparing_two_runs_shows_both_durations_and_the_differing_spark_properties()
    {
        var page = await dashboard.OpenAsync($"#/job/{DashboardServer.NightlyJob}");
        await page.Page.SelectOptionAsync("#compare-a", "run-01");
        await page.Page.SelectOptionAsync("#compare-b", DashboardServer.SlowRun);
        await page.Page.ClickAsync("#compare button[type=submit]");
        await page.WaitReadyAsync();
        Assert.EndsWith($"/compare/run-01/{DashboardServer.SlowRun}", page.Page.Url);
        var durations = await page.Page.Locator("#compare-runs tbody tr").Nth(1).TextContentAsync();
        Assert.Contains("1 min 00 s", durations);
        Assert.Contains("2 min 00 s", durations);
        Assert.Equal(["spark.executor.memory", "4g", "2g"], await page.Page.Locator("#compare-config tbody tr").First.Locator("td").AllTextContentsAsync());
        Assert.Equal(1, await page.Page.Locator("#compare-stages tbody tr").CountAsync());
        await page.ScreenshotAsync("compare");
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_run_streamed_while_its_page_is_open_updates_without_a_reload()
    {
        var log = DashboardServer.SharedLogs().First(l => l.AppId == "local-1422981759269");
        var client = new ListenerClient(dashboard.Server.Client);
        const string job = "live-job";
        var envelopes = ListenerClient.Envelopes(job, "live-run", log.Lines, batchSize: 10).ToList();
        await dashboard.PostEnvelopesAsync(client, job, "live-run", envelopes[..(envelopes.Count / 2)]);
        var page = await dashboard.OpenAsync(RunHash(job, "live-run"));
        var jobsPage = await dashboard.OpenAsync("");
        Assert.Equal("running", await page.Page.TextContentAsync("#run-status"));
        await page.Page.EvaluateAsync("window.notReloaded = true");
        var before = await page.Page.TextContentAsync("#run-events");

        await dashboard.PostEnvelopesAsync(client, job, "live-run", envelopes[(envelopes.Count / 2)..]);

        await page.Page.WaitForFunctionAsync("() => document.querySelector('#run-status')?.textContent === 'completed'", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.NotEqual(before, await page.Page.TextContentAsync("#run-events"));
        Assert.True(await page.Page.EvaluateAsync<bool>("window.notReloaded === true"));
        await jobsPage.Page.WaitForFunctionAsync("() => document.querySelector('#jobs-table tr[data-job=\"live-job\"] .badge')?.textContent === 'completed'", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.Empty(page.Problems);
        Assert.Empty(jobsPage.Problems);
        await page.CloseAsync();
        await jobsPage.CloseAsync();
    }

    [Fact]
    public async Task Without_a_read_key_the_page_prompts_for_one_and_keeps_it_out_of_urls()
    {
        await using var secured = await ServerUnderTest.StartAsync(null, "--read-api-key", "reader-secret");
        var context = await dashboard.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, request) => urls.Add(request.Url);
        await page.GotoAsync(secured.BaseAddress.ToString());
        await page.Locator("#key-dialog[open]").WaitForAsync();
        await page.FillAsync("#key-input", "reader-secret");
        await page.PressAsync("#key-input", "Enter");
        await page.WaitForSelectorAsync("main[data-ready=true]");
        Assert.NotNull(await page.QuerySelectorAsync("#jobs-table"));
        Assert.DoesNotContain(urls, u => u.Contains("reader-secret"));
        await context.CloseAsync();
    }

    private static Task<bool> CanvasHasInkAsync(IPage page, string selector) =>
        page.EvalOnSelectorAsync<bool>(selector, """
            canvas => {
              const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
              return false;
            }
            """);
}
