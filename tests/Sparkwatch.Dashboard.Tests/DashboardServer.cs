using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Sparkwatch.Testing;

namespace Sparkwatch.Dashboard.Tests;

/// <summary>
/// One server with the shared logs (one job per log file), the listener capture and a synthetic job loaded, and one
/// headless Debian Chromium driven by Playwright, shared by a test class.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private readonly bool _loadSharedData;

    /// <summary>A server with the shared data loaded.</summary>
    public DashboardServer() => _loadSharedData = true;

    /// <summary>A server with nothing loaded when <paramref name="loadSharedData"/> is false.</summary>
    internal DashboardServer(bool loadSharedData) => _loadSharedData = loadSharedData;

    /// <summary>The synthetic job whose last run is much slower than the ones before it.</summary>
    public const string NightlyJob = "nightly-etl";

    /// <summary>The slow run of <see cref="NightlyJob"/>.</summary>
    public const string SlowRun = "run-08";

    private IPlaywright? _playwright;

    /// <summary>The service.</summary>
    public ServerUnderTest Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Every loaded job and its runs.</summary>
    public Dictionary<string, List<string>> Jobs { get; } = [];

    /// <summary>Where the tests save screenshots (under the test output).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Server = await ServerUnderTest.StartAsync();
        if (_loadSharedData) await LoadAsync();
        _playwright = await Playwright.CreateAsync();
        await LaunchAsync();
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>The shared logs (one job per log file), the listener capture and the synthetic nightly job.</summary>
    private async Task LoadAsync()
    {
        var client = new ListenerClient(Server.Client);
        foreach (var log in SharedLogs())
        {
            await PostRunAsync(client, JobOf(log.Path), log.AppId, log.Lines);
        }
        foreach (var line in File.ReadLines(TestPaths.ListenerCapture).Where(l => l.Length > 0))
        {
            await client.PostOkAsync(line);
            var envelope = JsonNode.Parse(line)!;
            Remember((string)envelope["job_name"]!, (string)envelope["run_id"]!);
        }
        // Seven runs of about a minute, then one of two minutes with less executor memory: the last is a regression.
        long[] seconds = [60, 62, 59, 61, 60, 63, 58, 120];
        for (var i = 0; i < seconds.Length; i++)
        {
            var memory = i == seconds.Length - 1 ? "2g" : "4g";
            await PostRunAsync(client, NightlyJob, $"run-{i + 1:00}", SyntheticRun($"app-nightly-{i}", 1_700_000_000_000 + i * 86_400_000L, seconds[i] * 1000, memory));
        }
    }

    private async Task LaunchAsync() =>
        Browser = await _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // Without the network flags Chromium tries to reach Google's services, which this closed machine refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

    /// <summary>Posts a run's event lines as the listener would.</summary>
    public Task PostRunAsync(ListenerClient client, string job, string run, IEnumerable<string> lines) =>
        PostEnvelopesAsync(client, job, run, ListenerClient.Envelopes(job, run, lines));

    /// <summary>Posts envelopes of a run.</summary>
    public async Task PostEnvelopesAsync(ListenerClient client, string job, string run, IEnumerable<string> envelopes)
    {
        foreach (var envelope in envelopes) await client.PostOkAsync(envelope);
        Remember(job, run);
    }

    private void Remember(string job, string run)
    {
        if (!Jobs.TryGetValue(job, out var runs)) Jobs[job] = runs = [];
        if (!runs.Contains(run)) runs.Add(run);
    }

    /// <summary>One job per log: named after its file, or its folder for the old directory form (EVENT_LOG_1).</summary>
    private static string JobOf(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        return "log-" + Path.GetFileName(folder == TestPaths.SparkEvents || path == TestPaths.DelightExampleLog ? path : folder);
    }

    /// <summary>The shared plain Spark event logs (files of JSON lines).</summary>
    public static IEnumerable<SparkEventLog> SharedLogs() =>
        SparkEventLog.SharedLogPaths().Select(SparkEventLog.Read).Where(l => l.Lines.Count > 0 && l.Lines.All(x => x.TrimStart().StartsWith('{')));

    /// <summary>A small run as Spark would log it: start, its configuration, one executor, one stage, end.</summary>
    public static string[] SyntheticRun(string appId, long start, long durationMs, string executorMemory = "4g") =>
    [
        $$"""{"Event":"SparkListenerApplicationStart","App Name":"nightly","App ID":"{{appId}}","Timestamp":{{start}},"User":"etl"}""",
        $$"""{"Event":"SparkListenerEnvironmentUpdate","JVM Information":{},"Spark Properties":{"spark.app.name":"nightly","spark.executor.memory":"{{executorMemory}}"},"Hadoop Properties":{},"System Properties":{},"Classpath Entries":{} }""",
        $$"""{"Event":"SparkListenerExecutorAdded","Timestamp":{{start + 10}},"Executor ID":"1","Executor Info":{"Host":"worker-1","Total Cores":4,"Log Urls":{} } }""",
        $$"""{"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"load","Number of Tasks":4,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":{{start + 100}},"Accumulables":[]},"Properties":{} }""",
        $$"""{"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"load","Number of Tasks":4,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":{{start + 100}},"Completion Time":{{start + durationMs - 100}},"Accumulables":[]} }""",
        $$"""{"Event":"SparkListenerApplicationEnd","Timestamp":{{start + durationMs}}}""",
    ];

    /// <summary>
    /// A new page (in the light or dark colour scheme) whose console errors, page errors and failed requests are
    /// collected in <see cref="WatchedPage.Problems"/>.
    /// </summary>
    public async Task<WatchedPage> OpenAsync(string hash, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, ColorScheme = colorScheme });
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(page);
        await watched.GoAsync(new Uri(Server.BaseAddress, "/" + hash).ToString());
        return watched;
    }

    /// <summary>
    /// Opens <paramref name="hash"/> like <see cref="OpenAsync"/> while Chromium records a performance trace, and reads
    /// the load's paint timings from that trace.
    /// </summary>
    public async Task<(WatchedPage Page, PaintTimings Timings)> OpenTracedAsync(string hash)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var watched = new WatchedPage(await context.NewPageAsync());
        var cdp = await Browser.NewBrowserCDPSessionAsync();
        var timings = await PaintTrace.RecordAsync(cdp.SendAsync, (name, handler) => cdp.Event(name).OnEvent += (_, message) => handler(message),
            () => watched.GoAsync(new Uri(Server.BaseAddress, "/" + hash).ToString()), Server.BaseAddress.ToString());
        await cdp.DetachAsync();
        return (watched, timings);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>A page and what went wrong on it.</summary>
public sealed class WatchedPage
{
    internal WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") Problems.Add($"console: {message.Text}"); };
        page.PageError += (_, error) => Problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // The live stream is cancelled on purpose when the page changes or closes.
            if (!(request.Url.Contains("/ui/api/stream") && request.Failure == "net::ERR_ABORTED")) Problems.Add($"failed: {request.Url} {request.Failure}");
        };
        page.Response += (_, response) => { if (response.Status >= 400) Problems.Add($"{response.Status}: {response.Url}"); };
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>Console errors, uncaught errors, failed requests and error responses seen so far.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Opens <paramref name="url"/> and waits until the page says it has drawn.</summary>
    public async Task GoAsync(string url)
    {
        await Page.GotoAsync(url);
        await WaitReadyAsync();
    }

    /// <summary>Waits until the dashboard has drawn the current route.</summary>
    public Task WaitReadyAsync() => Page.WaitForSelectorAsync("main[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 30_000 });

    /// <summary>Saves a full-page screenshot as <paramref name="name"/>.png in the screenshot folder.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>Closes the page and its context.</summary>
    public Task CloseAsync() => Page.Context.CloseAsync();
}
