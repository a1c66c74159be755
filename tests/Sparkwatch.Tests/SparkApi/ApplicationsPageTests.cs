using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// The applications list over more runs than one step of its walk (runs are read in pages by their latest end, and the
/// walk stops once a page of applications is certain): order, limit, status and job filters, shared ids.
/// </summary>
public sealed class ApplicationsPageTests(ApplicationsPageTests.Server server) : IClassFixture<ApplicationsPageTests.Server>
{
    [Fact]
    public async Task A_page_of_100_is_the_first_100_of_the_whole_list_newest_end_first_running_last()
    {
        var page = await IdsAsync("/api/v1/applications?job=many&limit=100");
        var all = await IdsAsync("/api/v1/applications?job=many");
        var everyJob = await IdsAsync("/api/v1/applications?limit=100");

        Assert.Equal(server.Expected, all);
        Assert.Equal(server.Expected.Take(100), page);
        // The other job's run shares run 7's end and start: it comes first of the two (the newer run).
        Assert.Equal(server.Expected.SelectMany(id => id == server.Shared ? new[] { server.SharedCopy, id } : new[] { id }).Take(100), everyJob);
    }

    [Fact]
    public async Task Completed_and_running_filters_page_over_the_same_order()
    {
        var completed = await IdsAsync("/api/v1/applications?job=many&status=completed&limit=150");
        var running = await IdsAsync("/api/v1/applications?job=many&status=running&limit=5");

        Assert.Equal(server.Expected.Where(id => !Server.Running.Contains(id)).Take(150), completed);
        // The run whose first attempt ended and whose second still runs counts as running, with the runs never ended.
        Assert.Equal(server.Expected.Where(Server.Running.Contains).Take(5), running);
        Assert.Equal(Server.Runs - Server.Running.Count, (await IdsAsync("/api/v1/applications?job=many&status=completed")).Count);
    }

    [Fact]
    public async Task End_date_window_and_job_filter_keep_the_order_and_the_shared_ids()
    {
        var window = await IdsAsync($"/api/v1/applications?job=many&minEndDate={Server.End(100)}&maxEndDate={Server.End(160)}&limit=20");
        var other = await IdsAsync("/api/v1/applications?job=other&limit=10");

        var inWindow = Enumerable.Range(0, Server.Runs).Where(i => Server.Ends(i) is { } e && e >= Server.End(100) && e <= Server.End(160)).Select(Server.AppId).ToHashSet();
        Assert.Equal(server.Expected.Where(id => inWindow.Contains(id.Split('~')[0])).Take(20), window);
        // Without a limit (as Dr. Elephant asks), every run in the window, and only those.
        Assert.Equal(server.Expected.Where(id => inWindow.Contains(id.Split('~')[0])),
            await IdsAsync($"/api/v1/applications?job=many&minEndDate={Server.End(100)}&maxEndDate={Server.End(160)}"));
        Assert.Equal([server.SharedCopy], other);
        Assert.NotEqual(server.Shared, server.SharedCopy);
    }

    private async Task<List<string>> IdsAsync(string path) =>
        [.. (await LiveRunTests.GetJsonAsync(server.Client, path)).EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];

    /// <summary>
    /// 230 runs in job "many": most ended, some at the same end time (ties go to the later start), 12 never ended, one
    /// with a second attempt still running; and a run in job "other" with the application id of run 7.
    /// </summary>
    public sealed class Server : IAsyncLifetime
    {
        public const int Runs = 230;
        private const long Base = 1_700_000_000_000;
        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public static string AppId(int i) => $"app-page-{i:D4}";

        public static long Start(int i) => Base + i * 60_000L;

        /// <summary>The end of a run by rank: unrelated to the start order, every fifth one shared with its neighbour.</summary>
        public static long End(int rank) => Base + 100_000_000L + rank / 5 * 5 * 1_000L + (rank % 5 == 4 ? 0 : rank % 5 * 1_000L);

        public static long? Ends(int i) => i % 19 == 3 ? null : End(i * 37 % Runs);

        public const int TwoAttemptsRun = 11;

        /// <summary>The second attempt of run <see cref="TwoAttemptsRun"/> starts after its first ended.</summary>
        public static long SecondStart => Ends(TwoAttemptsRun)!.Value + 1_000;

        public static HashSet<string> Running => [.. Enumerable.Range(0, Runs).Where(i => Ends(i) is null || i == TwoAttemptsRun).Select(AppId)];

        /// <summary>Run 7's run-scoped id in job "many", and that of its copy in job "other" (both ids are shared).</summary>
        public string Shared { get; private set; } = "";

        public string SharedCopy { get; private set; } = "";

        /// <summary>Job "many" as Spark orders it: latest attempt's end descending (running ones last), ties by the later start.</summary>
        public List<string> Expected => [.. Enumerable.Range(0, Runs)
            .Select(i => (Id: i == 7 ? Shared : AppId(i), Key: i == TwoAttemptsRun ? -1 : Ends(i) ?? -1, Start: i == TwoAttemptsRun ? SecondStart : Start(i)))
            .OrderByDescending(r => r.Key).ThenByDescending(r => r.Start).Select(r => r.Id)];

        public async Task InitializeAsync()
        {
            _server = await ServerUnderTest.StartAsync();
            var client = new ListenerClient(_server.Client);
            for (var i = 0; i < Runs; i++)
            {
                foreach (var envelope in ListenerClient.Envelopes("many", $"run-{i:D4}", Lines(i))) await client.PostOkAsync(envelope);
            }
            foreach (var envelope in ListenerClient.Envelopes("other", "copy", Lines(7))) await client.PostOkAsync(envelope);
            Shared = await SharedIdAsync("many");
            SharedCopy = await SharedIdAsync("other");
        }

        // A run's scoped id is its application id and its key in the store: read it from the job's own list.
        private async Task<string> SharedIdAsync(string job) =>
            (await LiveRunTests.GetJsonAsync(_server.Client, $"/api/v1/applications?job={job}")).EnumerateArray().Select(a => a.GetProperty("id").GetString()!)
            .Single(id => id.StartsWith(AppId(7) + "~", StringComparison.Ordinal));

        private static IEnumerable<string> Lines(int i)
        {
            var attempt = i == TwoAttemptsRun ? ",\"App Attempt ID\":\"1\"" : "";
            yield return $$"""{"Event":"SparkListenerApplicationStart","App Name":"page","App ID":"{{AppId(i)}}","Timestamp":{{Start(i)}},"User":"etl"{{attempt}}}""";
            if (Ends(i) is { } end) yield return $$"""{"Event":"SparkListenerApplicationEnd","Timestamp":{{end}}}""";
            if (i == TwoAttemptsRun) yield return $$"""{"Event":"SparkListenerApplicationStart","App Name":"page","App ID":"{{AppId(i)}}","Timestamp":{{SecondStart}},"User":"etl","App Attempt ID":"2"}""";
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();
    }
}
