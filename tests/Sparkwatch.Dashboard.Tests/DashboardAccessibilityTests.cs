using Microsoft.Playwright;

namespace Sparkwatch.Dashboard.Tests;

/// <summary>Keyboard use, labels and contrast of every page, in the light and the dark colour scheme.</summary>
public sealed partial class DashboardPagesTests
{
    private IEnumerable<string> EveryPage()
    {
        var run = DashboardServer.SharedLogs().First(l => l.AppId == "app-20161116163331-0000").AppId;
        var job = dashboard.Jobs.Single(j => j.Value.Contains(run)).Key;
        return
        [
            "#/",
            $"#/job/{DashboardServer.NightlyJob}",
            RunHash(job, run),
            $"#/job/{DashboardServer.NightlyJob}/compare/run-01/{DashboardServer.SlowRun}",
            "#/search?q=RuntimeException",
        ];
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_text_on_every_page_has_WCAG_AA_contrast_and_every_control_a_name(ColorScheme scheme)
    {
        await new Sparkwatch.Testing.SparkwatchApi(dashboard.Server.Client).WaitForSinkAsync("search", TimeSpan.FromMinutes(2));
        var problems = new List<string>();
        foreach (var hash in EveryPage())
        {
            var page = await dashboard.OpenAsync(hash, scheme);
            await page.Page.Locator("#search-q").WaitForAsync(); // the search box and links are shown
            var texts = await page.Page.EvaluateAsync<int>(CountTexts);
            Assert.True(texts > 10, $"{hash}: only {texts} texts were checked");
            problems.AddRange((await page.Page.EvaluateAsync<string[]>(LowContrast)).Select(p => $"{scheme} {hash}: contrast {p}"));
            problems.AddRange((await page.Page.EvaluateAsync<string[]>(Unnamed)).Select(p => $"{scheme} {hash}: {p}"));
            problems.AddRange(page.Problems.Select(p => $"{scheme} {hash}: {p}"));
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_keyboard_reaches_the_skip_link_first_and_sorts_the_jobs_table_with_a_visible_focus()
    {
        var page = await dashboard.OpenAsync("");
        await page.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.Page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.EndsWith("/", page.Page.Url); // the route (the hash) is unchanged: still the jobs page
        string? key = null;
        for (var tab = 0; tab < 40 && key is null; tab++)
        {
            await page.Page.Keyboard.PressAsync("Tab");
            key = await page.Page.EvaluateAsync<string?>("() => document.activeElement.closest('th[data-key]')?.dataset.key ?? null");
        }
        Assert.True(key is not null, "Tab never reached a sortable column title");
        Assert.NotEqual("none", await page.Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        var before = await page.Page.GetAttributeAsync($"th[data-key='{key}']", "aria-sort");
        await page.Page.Keyboard.PressAsync("Enter");
        var after = await page.Page.GetAttributeAsync($"th[data-key='{key}']", "aria-sort");
        Assert.NotEqual(before, after);
        Assert.Contains(after, new[] { "ascending", "descending" });
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }

    /// <summary>How many visible texts <see cref="LowContrast"/> looks at.</summary>
    private const string CountTexts = """
        () => {
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          let n = 0;
          while (walker.nextNode()) if (walker.currentNode.textContent.trim() && walker.currentNode.parentElement.checkVisibility()) n++;
          return n;
        }
        """;

    /// <summary>
    /// Every visible text (outside SVG and canvas) whose colour against its nearest opaque background is below WCAG 2's
    /// AA ratio: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
    /// </summary>
    private const string LowContrast = """
        () => {
          const rgb = c => { const p = c.match(/[\d.]+/g)?.map(Number) ?? []; return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const luminance = ({ r, g, b }) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = el => {
            for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a >= 0.5) return c; }
            return rgb(getComputedStyle(document.body).backgroundColor);
          };
          const low = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const seen = new Set();
          while (walker.nextNode()) {
            const el = walker.currentNode.parentElement;
            if (!walker.currentNode.textContent.trim() || seen.has(el) || el.closest("svg") || !el.checkVisibility()) continue;
            seen.add(el);
            const style = getComputedStyle(el);
            const [a, b] = [luminance(rgb(style.color)), luminance(background(el))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
            const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
            if (ratio < needed) low.push(`${ratio.toFixed(2)}:1 < ${needed}:1 for ${el.tagName.toLowerCase()}.${el.className} "${walker.currentNode.textContent.trim().slice(0, 40)}"`);
          }
          return low;
        }
        """;

    /// <summary>Visible form controls and buttons without an accessible name, charts without a label, header cells without a scope.</summary>
    private const string Unnamed = """
        () => {
          const missing = [];
          for (const el of document.querySelectorAll("input, select, textarea, button")) {
            if (!el.checkVisibility() || el.type === "hidden") continue;
            const named = (el.labels?.length ?? 0) > 0 || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || (el.tagName === "BUTTON" && el.textContent.trim());
            if (!named) missing.push(`no name: ${el.outerHTML.slice(0, 80)}`);
          }
          for (const el of document.querySelectorAll("[role=img]")) if (!el.getAttribute("aria-label")) missing.push(`chart without a label: ${el.id}`);
          for (const th of document.querySelectorAll("table thead th")) if (!th.getAttribute("scope")) missing.push(`header cell without scope: ${th.textContent.trim()}`);
          return missing;
        }
        """;
}
