using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;
using Sparkwatch.Sinks.Search;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Search;
using Sparkwatch.Testing;
using static Sparkwatch.Storage.Tests.Payloads;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>
/// What the search index must do on every engine, over the shared logs with failures: stored through the store, then
/// applied to the search sink as the runner would hand them over.
/// </summary>
public abstract class SearchIndexContract : IAsyncLifetime
{
    /// <summary>The log of <see cref="ShellRun"/>.</summary>
    protected const string ShellLog = "app-20161116163331-0000"; // tasks fail with java.lang.RuntimeException: bad exec
    private const string YarnLog = "application_1538416563558_0014"; // executors lost: ExitCodeException exitCode=56
    /// <summary>A run stored and indexed before each test.</summary>
    protected static readonly RunKey ShellRun = new("spark-shell", "app-20161116163331-0000");
    private static readonly RunKey YarnRun = new("kmeans", "application_1538416563558_0014");

    private IEventStore? _store;

    /// <summary>The store under test, initialised.</summary>
    protected IEventStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The store's search index.</summary>
    protected ISearchIndex Index => (ISearchIndex)Store;

    /// <summary>A new store over empty storage, not yet initialised.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync();
        await FeedAsync(ShellRun, ShellLog);
        await FeedAsync(YarnRun, YarnLog);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
    }

    [Fact]
    public async Task An_exception_is_found_by_its_short_name_and_by_its_full_name()
    {
        foreach (var q in new[] { "RuntimeException", "java.lang.RuntimeException", "\"java.lang.RuntimeException: bad exec\"" })
        {
            var hits = await SearchAsync(q);
            Assert.NotEmpty(hits);
            Assert.All(hits, h => Assert.Equal(ShellRun, new RunKey(h.JobName, h.RunId)));
            Assert.All(hits, h => Assert.Equal("SparkListenerTaskEnd", h.EventType));
            Assert.Contains(hits, h => h.Field == "Task End Reason" && h.Snippet.Contains("<mark>RuntimeException</mark>"));
            Assert.Contains(hits, h => h.Field == "Full Stack Trace");
        }
    }

    [Fact]
    public async Task Parts_of_a_compound_name_and_prefixes_find_it_too()
    {
        foreach (var q in new[] { "ExitCode", "exit code exception", "ExitCodeExc*", "exitCode=56" })
        {
            var hits = await SearchAsync(q);
            Assert.Contains(hits, h => h.EventType == "SparkListenerExecutorRemoved" && h.Field == "Removed Reason" && h.RunId == YarnRun.RunId);
            Assert.Contains(hits, h => h.EventType == "SparkListenerTaskEnd" && h.Field == "Task End Reason");
        }
    }

    [Fact]
    public async Task Failures_rank_above_configuration()
    {
        // "hadoop" is in the executors' removal reasons (their stack traces) and in the Spark properties.
        var hits = await SearchAsync("hadoop", limit: 500);
        Assert.Contains(hits, h => h.Field == "Spark Properties");
        Assert.True(IsFailure(hits[0].Field), $"first hit: {hits[0].Field}");
        Assert.True(IsFailure(hits[^1].Field) == false, $"last hit: {hits[^1].Field}");
    }

    [Fact]
    public async Task Names_users_and_configuration_are_searchable()
    {
        Assert.Contains(await SearchAsync("PythonBisectingKMeansExample"), h => h.Field == "App Name" && h.RunId == YarnRun.RunId);
        Assert.Contains(await SearchAsync("jose"), h => h.Field == "User" && h.RunId == ShellRun.RunId);
        Assert.Contains(await SearchAsync("spark.master local-cluster"), h => h.Field == "Spark Properties" && h.EventType == "SparkListenerEnvironmentUpdate");
        Assert.Contains(await SearchAsync("\"first at BisectingKMeans\""), h => h.Field == "Stage Name" && h.EventType == "SparkListenerStageSubmitted");
    }

    [Fact]
    public async Task Events_applied_again_are_not_indexed_twice()
    {
        var before = await SearchAsync("RuntimeException", limit: 500);
        await FeedAsync(ShellRun, ShellLog, storeFirst: false);
        Assert.Equal(before.Select(h => (h.RunId, h.Position.Seq, h.Field)), (await SearchAsync("RuntimeException", limit: 500)).Select(h => (h.RunId, h.Position.Seq, h.Field)));
    }

    [Fact]
    public async Task Filters_keep_only_the_job_the_type_and_the_time_range_asked_for()
    {
        var all = await SearchAsync("org", limit: 500);
        Assert.Contains(all, h => h.JobName == ShellRun.JobName);
        Assert.Contains(all, h => h.JobName == YarnRun.JobName);

        Assert.All(await SearchAsync("org", job: YarnRun.JobName, limit: 500), h => Assert.Equal(YarnRun.JobName, h.JobName));
        var removed = await SearchAsync("org", type: "SparkListenerExecutorRemoved", limit: 500);
        Assert.NotEmpty(removed);
        Assert.All(removed, h => Assert.Equal("SparkListenerExecutorRemoved", h.EventType));
        var middle = all.Select(h => h.GeneratedAt).Order().ElementAt(all.Count / 2);
        var late = await SearchAsync("org", from: middle, limit: 500);
        var early = await SearchAsync("org", to: middle - 1, limit: 500);
        Assert.All(late, h => Assert.True(h.GeneratedAt >= middle));
        Assert.All(early, h => Assert.True(h.GeneratedAt < middle));
        Assert.Equal(all.Count, late.Count + early.Count);
        Assert.Empty(await SearchAsync("org", job: "no-such-job"));
    }

    [Fact]
    public async Task Pages_follow_each_other_without_repeating_or_skipping_a_hit()
    {
        var all = await SearchAsync("org", limit: 500);
        Assert.True(all.Count > 10, $"only {all.Count} hits");
        var paged = new List<SearchHit>();
        SearchPosition? after = null;
        while (true)
        {
            var page = await Index.SearchAsync(new SearchQuery(SearchTerms.Parse("org"), null, null, null, null, 3, after));
            paged.AddRange(page);
            if (page.Count < 3) break;
            after = page[^1].Position;
        }
        Assert.Equal(all.Select(h => h.Position), paged.Select(h => h.Position));
    }

    [Theory]
    [MemberData(nameof(HostileSearchQueries.All), MemberType = typeof(HostileSearchQueries))]
    public async Task Hostile_queries_give_hits_or_nothing(string q)
    {
        var hits = await SearchAsync(q);
        Assert.All(hits, h => Assert.NotEmpty(h.Snippet));
        Assert.NotEmpty(await SearchAsync("RuntimeException"));
    }

    [Theory]
    [InlineData("\"Caused by\"", "SparkListenerTaskEnd", "Full Stack Trace")]
    [InlineData("java.lang.OutOfMemoryError", "SparkListenerTaskEnd", "Full Stack Trace")]
    [InlineData("OutOfMemoryError heap", "SparkListenerTaskEnd", "Full Stack Trace")]
    [InlineData("org.apache.spark.SparkException", "SparkListenerTaskEnd", "Task End Reason")]
    [InlineData("SparkException", "SparkListenerTaskEnd", "Task End Reason")]
    [InlineData("FileNotFoundException", "SparkListenerStageCompleted", "Failure Reason")]
    [InlineData("\"Caused by: java.io.FileNotFoundException\"", "SparkListenerStageCompleted", "Failure Reason")]
    [InlineData("FileNotFoundException", "SparkListenerJobEnd", "Job Result")]
    [InlineData("failJobAndIndependentStages", "SparkListenerJobEnd", "Stack Trace")]
    [InlineData("TABLE_OR_VIEW_NOT_FOUND", "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd", "errorMessage")]
    [InlineData("AnalysisException sales", "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd", "errorMessage")]
    [InlineData("\"sum(amount) from sales\"", "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart", "description")]
    [InlineData("revenue region", "SparkListenerJobStart", "spark.job.description")]
    [InlineData("etl-bot", "SparkListenerApplicationStart", "User")]
    public async Task Every_kind_of_failure_and_description_is_found(string q, string eventType, string field)
    {
        var run = new RunKey("nightly-revenue", "app-failing-1");
        await FeedAsync(run, "app-failing-1", [.. FailureEvents.Lines]);

        var hits = await SearchAsync(q, job: run.JobName);
        Assert.Contains(hits, h => h.EventType == eventType && h.Field == field && h.RunId == run.RunId && h.Snippet.Contains("<mark>"));
    }

    /// <summary>The hits of <paramref name="q"/>, the filters given.</summary>
    protected async Task<List<SearchHit>> SearchAsync(string q, string? job = null, string? type = null, long? from = null, long? to = null, int limit = 50) =>
        [.. await Index.SearchAsync(new SearchQuery(SearchTerms.Parse(q), job, from, to, type, limit, null))];

    private static bool IsFailure(string field) => field is "Task End Reason" or "Full Stack Trace" or "Removed Reason";

    // Stores the log and hands its events to the search sink in one go, as the runner would.
    private Task FeedAsync(RunKey run, string logName, bool storeFirst = true)
    {
        var log = SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, logName));
        return FeedAsync(run, log.AppId, log.Lines, storeFirst);
    }

    private async Task FeedAsync(RunKey run, string appId, IReadOnlyList<string> lines, bool storeFirst = true)
    {
        var (messages, events) = SearchFeed.Of(lines);
        if (storeFirst) await Store.AppendAsync([Batch(run, messages.Count, 1, [.. messages])]);
        var runPk = (await ((IRunModelReader)Store).FindRunsAsync(appId, run.JobName, CancellationToken.None)).Single().RunPk;
        await new SearchSink(Index).ApplyAsync(new PendingRun(runPk, run, 0, 1), events, CancellationToken.None);
    }
}
