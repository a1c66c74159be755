using System.Net;
using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Search;

/// <summary>
/// <c>GET /search</c> end to end: shared logs with failures sent through /collect as the listener sends them, indexed by
/// the search sink from the accepted stream, found over HTTP.
/// </summary>
public sealed class SearchApiTests(SearchApiTests.Server server) : IClassFixture<SearchApiTests.Server>
{
    private const string ShellRun = "app-20161116163331-0000"; // tasks fail with java.lang.RuntimeException: bad exec
    private const string YarnRun = "application_1538416563558_0014"; // executors lost: ExitCodeException exitCode=56

    [Theory]
    [InlineData("RuntimeException")]
    [InlineData("java.lang.RuntimeException")]
    [InlineData("\"java.lang.RuntimeException: bad exec\"")]
    public async Task A_failure_of_a_shared_log_is_found_by_its_exception_s_short_and_full_name(string q)
    {
        var hits = await HitsAsync($"q={Uri.EscapeDataString(q)}&job=spark-shell");

        var hit = Assert.Single(hits, h => h.GetProperty("field").GetString() == "Task End Reason" && h.GetProperty("seq").GetInt64() == FirstFailedTaskSeq());
        Assert.Equal("spark-shell", hit.GetProperty("job_name").GetString());
        Assert.Equal(ShellRun, hit.GetProperty("run_id").GetString());
        Assert.Equal("SparkListenerTaskEnd", hit.GetProperty("event_type").GetString());
        Assert.Contains("<mark>RuntimeException</mark>", hit.GetProperty("snippet").GetString());
        Assert.Equal($"/job/spark-shell/{ShellRun}/events?type=SparkListenerTaskEnd", hit.GetProperty("link").GetString());
        Assert.Contains(hits, h => h.GetProperty("field").GetString() == "Full Stack Trace");
    }

    [Fact]
    public async Task A_hit_links_to_its_run_s_events_of_its_type_with_names_escaped()
    {
        var hit = (await HitsAsync("q=ExitCodeException&type=SparkListenerExecutorRemoved&job=" + Uri.EscapeDataString(Server.OddJob)))[0];

        var link = hit.GetProperty("link").GetString()!;
        Assert.Equal($"/job/team%2Fetl%20daily%20%25/{Uri.EscapeDataString(Server.OddRun)}/events?type=SparkListenerExecutorRemoved", link);
        var events = (await server.Client.GetStringAsync(SparkwatchApi.Verbatim(server.Client, link))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, events.Length);
        Assert.All(events, e => Assert.Contains("\"SparkListenerExecutorRemoved\"", e));
    }

    [Fact]
    public async Task Filters_keep_only_the_job_the_type_and_the_time_range_asked_for()
    {
        var all = await HitsAsync("q=org&limit=500");
        Assert.Contains(all, h => h.GetProperty("job_name").GetString() == "spark-shell");
        Assert.Contains(all, h => h.GetProperty("job_name").GetString() == "kmeans");

        Assert.All(await HitsAsync("q=org&limit=500&job=kmeans"), h => Assert.Equal("kmeans", h.GetProperty("job_name").GetString()));
        var removed = await HitsAsync("q=org&limit=500&type=SparkListenerExecutorRemoved");
        Assert.NotEmpty(removed);
        Assert.All(removed, h => Assert.Equal("SparkListenerExecutorRemoved", h.GetProperty("event_type").GetString()));

        var times = all.Select(h => h.GetProperty("generated_at").GetInt64()).Order().ToList();
        var middle = times[times.Count / 2];
        var late = await HitsAsync($"q=org&limit=500&from={middle}");
        var early = await HitsAsync($"q=org&limit=500&to={Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(middle - 1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"))}");
        Assert.All(late, h => Assert.True(h.GetProperty("generated_at").GetInt64() >= middle));
        Assert.All(early, h => Assert.True(h.GetProperty("generated_at").GetInt64() < middle));
        Assert.Equal(all.Count, late.Count + early.Count);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_repeating_or_skipping_a_hit()
    {
        var all = (await HitsAsync("q=org&limit=500")).Select(Identity).ToList();
        Assert.True(all.Count > 20, $"only {all.Count} hits");

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await server.Api.GetJsonAsync($"/search?q=org&limit=7{(cursor is null ? "" : "&cursor=" + cursor)}");
            paged.AddRange(page.GetProperty("hits").EnumerateArray().Select(Identity));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task A_batch_sent_again_does_not_double_hits()
    {
        var before = (await HitsAsync("q=RuntimeException&limit=500")).Select(Identity).ToList();

        var log = SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, ShellRun));
        foreach (var envelope in ListenerClient.Envelopes("spark-shell", ShellRun, log.Lines, batchSize: 50)) await new ListenerClient(server.Client).PostOkAsync(envelope);
        await server.CaughtUpAsync();

        Assert.Equal(before, (await HitsAsync("q=RuntimeException&limit=500")).Select(Identity).ToList());
    }

    [Fact]
    public async Task Configuration_is_searchable_as_redacted_and_its_secrets_are_not()
    {
        var hits = await HitsAsync("q=spark.warehouse.password&job=secrets");

        var hit = Assert.Single(hits);
        Assert.Equal("Spark Properties", hit.GetProperty("field").GetString());
        Assert.Equal("SparkListenerEnvironmentUpdate", hit.GetProperty("event_type").GetString());
        Assert.DoesNotContain("hunter2", hit.GetProperty("snippet").GetString());
        Assert.Empty(await HitsAsync("q=hunter2"));
    }

    [Theory]
    [MemberData(nameof(HostileSearchQueries.All), MemberType = typeof(HostileSearchQueries))]
    public async Task Hostile_queries_give_hits_or_an_empty_list(string q)
    {
        using var response = await server.Client.GetAsync("/search?q=" + Uri.EscapeDataString(q));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Array, body.GetProperty("hits").ValueKind);
    }

    [Theory]
    [InlineData("", "'q' is required")]
    [InlineData("?q=", "'q' is required")]
    [InlineData("?q=%20%20", "'q' is required")]
    [InlineData("?q=x&from=yesterday", "'from'")]
    [InlineData("?q=x&to=2024-13-45", "'to'")]
    [InlineData("?q=x&cursor=not*base64", "cursor")]
    [InlineData("?q=x&cursor=bm90IGEgY3Vyc29y", "cursor")]
    [InlineData("?q=x&limit=abc", "limit")]
    public async Task Bad_parameters_get_a_problem_that_names_them(string query, string detail)
    {
        using var response = await server.Client.GetAsync("/search" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:sparkwatch:problem:invalid-query", problem.GetProperty("type").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_query_longer_than_the_limit_is_refused()
    {
        using var response = await server.Client.GetAsync("/search?q=" + new string('a', 1001));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<List<JsonElement>> HitsAsync(string query) =>
        [.. (await server.Api.GetJsonAsync("/search?" + query)).GetProperty("hits").EnumerateArray()];

    private static string Identity(JsonElement hit) =>
        $"{hit.GetProperty("job_name").GetString()}|{hit.GetProperty("run_id").GetString()}|{hit.GetProperty("seq").GetInt64()}|{hit.GetProperty("field").GetString()}";

    // The seq of the log's first failed task end: events are numbered in file order by the envelopes.
    private static long FirstFailedTaskSeq() =>
        SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, ShellRun)).Lines.Select((l, i) => (l, i)).First(e => e.l.Contains("ExceptionFailure")).i + 1;

    /// <summary>One server that received the shared logs with failures through /collect and indexed them.</summary>
    public sealed class Server : IAsyncLifetime
    {
        /// <summary>A job whose name needs escaping in a link.</summary>
        public const string OddJob = "team/etl daily %";

        /// <summary>A run whose id needs escaping in a link.</summary>
        public const string OddRun = "run 1 ?#";

        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public SparkwatchApi Api => new(_server.Client);

        public async Task InitializeAsync()
        {
            _server = await ServerUnderTest.StartAsync();
            await SendAsync("spark-shell", ShellRun, ShellRun);
            await SendAsync("kmeans", YarnRun, YarnRun);
            await SendAsync(OddJob, OddRun, YarnRun);
            await new ListenerClient(_server.Client).PostOkAsync(ListenerClient.Envelopes("secrets", "r1",
                ["""{"Event":"SparkListenerEnvironmentUpdate","JVM Information":{},"Spark Properties":{"spark.warehouse.password":"hunter2","spark.master":"yarn"},"System Properties":{},"Classpath Entries":{}}"""]).Single());
            await CaughtUpAsync();
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        /// <summary>Waits until the search sink has applied everything accepted.</summary>
        public async Task CaughtUpAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var search = (await Api.GetJsonAsync("/sinks")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "search");
                if (search.GetProperty("lag_events").GetInt64() == 0) return;
                Assert.True(DateTime.UtcNow < deadline, "the search sink did not catch up within 60 s");
                await Task.Delay(50);
            }
        }

        private async Task SendAsync(string job, string run, string logName)
        {
            var log = SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, logName));
            var client = new ListenerClient(_server.Client);
            foreach (var envelope in ListenerClient.Envelopes(job, run, log.Lines, batchSize: 50)) await client.PostOkAsync(envelope);
        }
    }
}
