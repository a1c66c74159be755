using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Dashboard.Tests;

/// <summary>
/// A job whose every name a page shows is markup (job, runs, application, user, stage, host, failure reasons, a removed
/// executor's reason, Spark properties): the pages must show it as text and never build an element or run a script from it.
/// </summary>
public sealed class HostileTextServer : IAsyncLifetime
{
    /// <summary>Markup that would add an element, run an inline handler and a script if a page wrote it as HTML.</summary>
    public const string Markup = "\"><img data-pwned src=x onerror=\"window.pwned=1\"><script data-pwned>window.pwned=1</script>&amp;";

    /// <summary>The job's name.</summary>
    public const string Job = "job " + Markup;

    /// <summary>The service and its browser.</summary>
    public DashboardServer Dashboard { get; } = new(loadSharedData: false);

    /// <summary>The two runs of <see cref="Job"/>.</summary>
    public static readonly string[] Runs = ["run-1 " + Markup, "run-2 " + Markup];

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        await Dashboard.InitializeAsync();
        var client = new ListenerClient(Dashboard.Server.Client);
        for (var i = 0; i < Runs.Length; i++) await Dashboard.PostRunAsync(client, Job, Runs[i], Run($"app-hostile-{i}", 1_700_000_000_000 + i * 3_600_000L));
        var api = new SparkwatchApi(Dashboard.Server.Client);
        await api.WaitForSinkAsync("model", TimeSpan.FromMinutes(2));
        await api.WaitForSinkAsync("search", TimeSpan.FromMinutes(2));
    }

    private static IEnumerable<string> Run(string appId, long start)
    {
        var text = JsonSerializer.Serialize(Markup); // a JSON string literal, quotes included
        string Named(string prefix) => JsonSerializer.Serialize(prefix + Markup);
        yield return $$"""{"Event":"SparkListenerApplicationStart","App Name":{{Named("app ")}},"App ID":"{{appId}}","Timestamp":{{start}},"User":{{text}}}""";
        yield return $$"""{"Event":"SparkListenerEnvironmentUpdate","JVM Information":{},"Spark Properties":{"spark.app.name":{{text}},{{Named("spark.hostile.")}}:{{Named(appId)}}},"Hadoop Properties":{},"System Properties":{},"Classpath Entries":{} }""";
        yield return $$"""{"Event":"SparkListenerExecutorAdded","Timestamp":{{start + 10}},"Executor ID":"1","Executor Info":{"Host":{{Named("host ")}},"Total Cores":2,"Log Urls":{} } }""";
        var stage = $$"""{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":{{Named("stage ")}},"Number of Tasks":2,"RDD Info":[],"Parent IDs":[],"Details":{{text}},"Submission Time":{{start + 100}}""";
        yield return $$"""{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":{{start + 100}},"Stage Infos":[{{stage}},"Accumulables":[]}],"Stage IDs":[0],"Properties":{"spark.job.description":{{Named("job ")}}} }""";
        yield return $$"""{"Event":"SparkListenerStageSubmitted","Stage Info":{{stage}},"Accumulables":[]},"Properties":{} }""";
        for (var t = 0; t < 2; t++)
        {
            var info = $$"""{"Task ID":{{t}},"Index":{{t}},"Attempt":0,"Launch Time":{{start + 200}},"Executor ID":"1","Host":{{Named("host ")}},"Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":{{start + 900}},"Failed":{{(t == 0 ? "true" : "false")}},"Killed":false,"Accumulables":[]}""";
            yield return $$"""{"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,"Task Info":{{info}}}""";
            var reason = t == 0
                ? $$"""{"Reason":"ExceptionFailure","Class Name":{{Named("java.lang.IllegalStateException ")}},"Description":{{text}},"Stack Trace":[],"Full Stack Trace":{{Named("java.lang.IllegalStateException: pwned ")}},"Accumulator Updates":[]}"""
                : """{"Reason":"Success"}""";
            yield return $$"""{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{{reason}},"Task Info":{{info}},"Task Metrics":{"Executor Run Time":700,"Executor CPU Time":1000,"Result Size":10,"JVM GC Time":0,"Updated Blocks":[]} }""";
        }
        yield return $$"""{"Event":"SparkListenerStageCompleted","Stage Info":{{stage}},"Completion Time":{{start + 1000}},"Failure Reason":{{Named("stage failed ")}},"Accumulables":[]} }""";
        yield return $$"""{"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":{{start + 1000}},"Job Result":{"Result":"JobFailed","Exception":{"Message":{{Named("job failed ")}} } } }""";
        yield return $$"""{"Event":"SparkListenerExecutorRemoved","Timestamp":{{start + 1100}},"Executor ID":"1","Removed Reason":{{Named("lost ")}}}""";
        yield return $$"""{"Event":"SparkListenerApplicationEnd","Timestamp":{{start + 1200}}}""";
    }

    /// <inheritdoc/>
    public Task DisposeAsync() => Dashboard.DisposeAsync();
}

/// <summary>Every page over <see cref="HostileTextServer"/>: the markup is shown as text, nothing of it is built or run.</summary>
public sealed class DashboardHostileTextTests(HostileTextServer server) : IClassFixture<HostileTextServer>
{
    public static TheoryData<string> Pages => new()
    {
        "#/",
        $"#/job/{Uri.EscapeDataString(HostileTextServer.Job)}",
        $"#/job/{Uri.EscapeDataString(HostileTextServer.Job)}/run/{Uri.EscapeDataString(HostileTextServer.Runs[0])}",
        $"#/job/{Uri.EscapeDataString(HostileTextServer.Job)}/compare/{Uri.EscapeDataString(HostileTextServer.Runs[0])}/{Uri.EscapeDataString(HostileTextServer.Runs[1])}",
        "#/search?q=pwned",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_shows_markup_in_names_as_text_and_builds_nothing_from_it(string hash)
    {
        var page = await server.Dashboard.OpenAsync(hash);
        Assert.Equal(0, await page.Page.Locator("[data-pwned]").CountAsync());
        Assert.False(await page.Page.EvaluateAsync<bool>("() => 'pwned' in window"), "a script of the markup ran");
        Assert.Contains("<img data-pwned src=x", await page.Page.InnerTextAsync("main"));
        Assert.Empty(page.Problems);
        await page.CloseAsync();
    }
}
