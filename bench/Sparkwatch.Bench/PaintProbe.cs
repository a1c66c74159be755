using Microsoft.Playwright;

namespace Sparkwatch.Bench;

/// <summary>A dashboard page's first contentful paint and the time it had drawn its data (its <c>sparkwatch-ready</c> mark), ms from navigation.</summary>
internal sealed record PagePaint(string Name, string Hash, double FirstPaintMs, double ReadyMs);

/// <summary>
/// Opens dashboard pages in Debian's headless Chromium (as the browser tests do) and reads the browser's own
/// Performance API marks, each on the second load of the page (the first warms the server).
/// </summary>
internal static class PaintProbe
{
    public static async Task<List<PagePaint>> MeasureAsync(Uri server, IEnumerable<(string Name, string Hash)> pages, TextWriter log)
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
            PagePaint? paint = null;
            for (var load = 0; load < 2; load++)
            {
                var page = await browser.NewPageAsync();
                await page.GotoAsync(new Uri(server, "/" + hash).ToString());
                // The dashboard marks its main element once the route is drawn (its CSP allows no eval, so no polled script).
                await page.WaitForSelectorAsync("main[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 300_000 });
                var firstPaint = await page.EvaluateAsync<double>("performance.getEntriesByName('first-contentful-paint')[0].startTime");
                var ready = await page.EvaluateAsync<double>("performance.getEntriesByName('sparkwatch-ready')[0].startTime");
                paint = new PagePaint(name, hash, Math.Round(firstPaint, 1), Math.Round(ready, 1));
                await page.CloseAsync();
            }
            results.Add(paint!);
            log.WriteLine($"  page {name,-40} first contentful paint {paint!.FirstPaintMs,7:0} ms, data drawn {paint.ReadyMs,7:0} ms");
        }
        return results;
    }
}
