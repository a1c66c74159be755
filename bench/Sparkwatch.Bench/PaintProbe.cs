using Microsoft.Playwright;
using Sparkwatch.Testing;

namespace Sparkwatch.Bench;

/// <summary>
/// A dashboard page's paint, from Chromium's performance trace of its second load (ms from navigation): first contentful
/// paint and its <c>sparkwatch-ready</c> mark (the route's data drawn); then the server's RSS after each of
/// <c>--paint-loads</c> further loads (MB), to see whether pages leave memory behind.
/// </summary>
internal sealed record PagePaint(string Name, string Hash, double FirstPaintMs, double ReadyMs, IReadOnlyList<double> RssAfterLoadsMb);

/// <summary>Opens dashboard pages in Debian's headless Chromium (as the browser tests do) and reads their trace.</summary>
internal static class PaintProbe
{
    public static async Task<List<PagePaint>> MeasureAsync(Uri server, IEnumerable<(string Name, string Hash)> pages, int loads, Func<double?> rssMb, TextWriter log)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var results = new List<PagePaint>();
        foreach (var (name, hash) in pages)
        {
            var url = new Uri(server, "/" + hash).ToString();
            await LoadAsync(browser, url); // warms the server: JIT, kept summaries
            var timings = await LoadTracedAsync(browser, url, server.ToString());
            var rss = new List<double>();
            for (var load = 0; load < loads; load++)
            {
                await LoadAsync(browser, url);
                if (rssMb() is { } mb) rss.Add(mb);
            }
            var paint = new PagePaint(name, hash, Math.Round(timings.FirstContentfulPaintMs, 1), Math.Round(timings.MarksMs["sparkwatch-ready"], 1), rss);
            results.Add(paint);
            log.WriteLine($"  page {name,-40} first contentful paint {paint.FirstPaintMs,7:0} ms, data drawn {paint.ReadyMs,7:0} ms" +
                (rss.Count > 0 ? $"; server RSS after {rss.Count} more loads: first {rss[0]:0} MB, max {rss.Max():0} MB, last {rss[^1]:0} MB" : ""));
        }
        return results;
    }

    private static async Task LoadAsync(IBrowser browser, string url)
    {
        var page = await browser.NewPageAsync();
        await OpenAsync(page, url);
        await page.CloseAsync();
    }

    private static async Task<PaintTimings> LoadTracedAsync(IBrowser browser, string url, string server)
    {
        var page = await browser.NewPageAsync();
        var cdp = await browser.NewBrowserCDPSessionAsync();
        var timings = await PaintTrace.RecordAsync(cdp.SendAsync, (name, handler) => cdp.Event(name).OnEvent += (_, message) => handler(message),
            () => OpenAsync(page, url), server);
        await cdp.DetachAsync();
        await page.CloseAsync();
        return timings;
    }

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        // The dashboard marks its main element once the route is drawn (its CSP allows no eval, so no polled script).
        await page.WaitForSelectorAsync("main[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 300_000 });
    }
}
