using System.IO.Compression;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The /api/v1 request sequences of Dr. Elephant and of the Kubeflow MCP server for the History Server work unchanged.</summary>
public sealed class ClientRequestSequencesTests(ClientRequestSequencesTests.Server server) : IClassFixture<ClientRequestSequencesTests.Server>
{
    private const string ShuffleApp = "local-1430917381534";

    [Fact]
    public async Task Dr_elephant_finds_completed_applications_then_reads_jobs_stages_executors_and_logs()
    {
        var client = server.Client;
        // Dr. Elephant polls for applications that completed within a window (dates in Spark's format).
        var apps = await LiveRunTests.GetJsonAsync(client, "/api/v1/applications?status=completed&minEndDate=2015-05-06T00:00:00.000GMT&maxEndDate=2015-05-07T00:00:00.000GMT");
        var app = Assert.Single(apps.EnumerateArray());
        Assert.Equal(ShuffleApp, app.GetProperty("id").GetString());
        var attempt = app.GetProperty("attempts")[0];
        Assert.True(attempt.GetProperty("completed").GetBoolean());
        var prefix = attempt.TryGetProperty("attemptId", out var id) ? $"/api/v1/applications/{ShuffleApp}/{id.GetString()}" : $"/api/v1/applications/{ShuffleApp}";

        var jobs = await LiveRunTests.GetJsonAsync(client, $"{prefix}/jobs");
        Assert.Equal("SUCCEEDED", Assert.Single(jobs.EnumerateArray()).GetProperty("status").GetString());
        var stages = await LiveRunTests.GetJsonAsync(client, $"{prefix}/stages");
        Assert.Equal([1, 0], stages.EnumerateArray().Select(s => s.GetProperty("stageId").GetInt32()));
        var executors = await LiveRunTests.GetJsonAsync(client, $"{prefix}/executors");
        Assert.Equal("driver", Assert.Single(executors.EnumerateArray()).GetProperty("id").GetString());

        using var logs = await client.GetAsync($"{prefix}/logs");
        logs.EnsureSuccessStatusCode();
        using var zip = new ZipArchive(await logs.Content.ReadAsStreamAsync());
        var entry = Assert.Single(zip.Entries);
        using var reader = new StreamReader(entry.Open());
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(SparkEventLog.Read(ShsExpectations.Logs[0]).ExpectedServedLines(), lines);
    }

    [Fact]
    public async Task Kubeflow_mcp_server_reads_stage_summaries_task_summary_executors_and_environment_with_attempts_in_paths()
    {
        var client = server.Client;
        var app = await LiveRunTests.GetJsonAsync(client, "/api/v1/applications/local-1426533911241");
        Assert.Single(app.GetProperty("attempts").EnumerateArray());
        const string prefix = "/api/v1/applications/local-1426533911241/1";

        var stages = await LiveRunTests.GetJsonAsync(client, $"{prefix}/stages?details=true&withSummaries=true&quantiles=0.05,0.25,0.5,0.75,0.95");
        var stage = Assert.Single(stages.EnumerateArray());
        Assert.Equal(8, stage.GetProperty("tasks").EnumerateObject().Count());
        var distributions = stage.GetProperty("taskMetricsDistributions");
        Assert.Equal(5, distributions.GetProperty("executorRunTime").GetArrayLength());

        var summary = await LiveRunTests.GetJsonAsync(client, $"{prefix}/stages/0/0/taskSummary");
        Assert.Equal(distributions.GetProperty("executorRunTime").GetRawText(), summary.GetProperty("executorRunTime").GetRawText());
        var executors = await LiveRunTests.GetJsonAsync(client, $"{prefix}/allexecutors");
        Assert.Contains(executors.EnumerateArray(), e => e.GetProperty("id").GetString() == "driver");
        var environment = await LiveRunTests.GetJsonAsync(client, $"{prefix}/environment");
        Assert.Contains(environment.GetProperty("sparkProperties").EnumerateArray(), p => p[0].GetString() == "spark.app.id");

        using var unknown = await client.GetAsync("/api/v1/applications/local-1426533911241/2/stages");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>One server with two of the shared logs received through /collect.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public async Task InitializeAsync() => _server = await ShsExpectations.StartWithCollectedLogsAsync("clients", ShsExpectations.Logs.Take(2), batchSize: 100);

        public async Task DisposeAsync() => await _server.DisposeAsync();
    }
}
