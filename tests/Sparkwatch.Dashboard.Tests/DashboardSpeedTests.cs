using System.Diagnostics;
using Sparkwatch.Testing;
using Xunit.Abstractions;

namespace Sparkwatch.Dashboard.Tests;

/// <summary>A job with 10,000 runs on the service, for the speed of its runs page.</summary>
public sealed class ManyRunsServer : IAsyncLifetime
{
    /// <summary>The job.</summary>
    public const string Job = "hourly";

    /// <summary>Its runs.</summary>
    public const int Runs = 10_000;

    /// <summary>The service, with Chromium beside it.</summary>
    public DashboardServer Dashboard { get; } = new(loadSharedData: false);

    /// <summary>How long loading the runs took.</summary>
    public TimeSpan LoadTime { get; private set; }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        await Dashboard.InitializeAsync();
        var client = new ListenerClient(Dashboard.Server.Client);
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Runs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var lines = DashboardServer.SyntheticRun($"app-hourly-{i}", 1_600_000_000_000 + i * 3_600_000L, 600_000 + i % 97 * 1000);
            foreach (var envelope in ListenerClient.Envelopes(Job, $"run-{i:00000}", lines)) await client.PostOkAsync(envelope);
        });
        LoadTime = clock.Elapsed;
    }

    /// <inheritdoc/>
    public Task DisposeAsync() => Dashboard.DisposeAsync();
}

/// <summary>How fast the dashboard draws a big job, measured in the browser (Performance API).</summary>
public sealed class DashboardSpeedTests(ManyRunsServer server, ITestOutputHelper output) : IClassFixture<ManyRunsServer>
{
    [Fact]
    public async Task The_runs_page_of_a_job_with_10000_runs_paints_within_a_second_and_draws_its_first_runs_within_two()
    {
        output.WriteLine($"loaded {ManyRunsServer.Runs} runs in {server.LoadTime.TotalSeconds:0.0} s");
        var api = Stopwatch.StartNew();
        var runs = await server.Dashboard.Server.Client.GetStringAsync($"/ui/api/runs?job={ManyRunsServer.Job}");
        output.WriteLine($"/ui/api/runs: {api.ElapsedMilliseconds} ms, {runs.Length / 1024} KiB");
        api.Restart();
        await server.Dashboard.Server.Client.GetStringAsync($"/ui/api/stats?job={ManyRunsServer.Job}&runs={string.Join(',', Enumerable.Range(0, 50).Select(i => $"run-{i:00000}"))}");
        output.WriteLine($"/ui/api/stats of 50 runs: {api.ElapsedMilliseconds} ms");
        // The first load warms the server (JIT, caches); the second is what a user sees every morning.
        var warm = await server.Dashboard.OpenAsync($"#/job/{ManyRunsServer.Job}");
        await warm.CloseAsync();
        var page = await server.Dashboard.OpenAsync($"#/job/{ManyRunsServer.Job}");
        var firstPaint = await page.Page.EvaluateAsync<double>("performance.getEntriesByName('first-contentful-paint')[0].startTime");
        var ready = await page.Page.EvaluateAsync<double>("performance.getEntriesByName('sparkwatch-ready')[0].startTime");
        await page.Page.Locator($"#duration-chart[data-points='{ManyRunsServer.Runs}']").WaitForAsync();
        var chart = await page.Page.EvaluateAsync<double>("performance.getEntriesByName('sparkwatch-chart')[0].startTime");
        output.WriteLine($"runs page of {ManyRunsServer.Runs} runs: first contentful paint {firstPaint:0} ms, first table page drawn {ready:0} ms, chart of every run drawn {chart:0} ms");
        Assert.Equal($"page 1 of {ManyRunsServer.Runs / 50} ({ManyRunsServer.Runs} runs)", await page.Page.TextContentAsync("#page-info"));
        Assert.True(firstPaint < 1000, $"first paint took {firstPaint} ms");
        Assert.True(ready < 2000, $"the first page of runs took {ready} ms to draw");
        Assert.True(chart < 10000, $"the chart of every run took {chart} ms to draw");
        await page.ScreenshotAsync("runs-10000");
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }
}
