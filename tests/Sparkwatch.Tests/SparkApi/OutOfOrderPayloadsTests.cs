using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>
/// Payloads that arrive out of order (each pair swapped, so task ends come before their starts and the application end
/// before the last tasks) and are all retried build the same model as in-order delivery.
/// </summary>
public sealed class OutOfOrderPayloadsTests(OutOfOrderPayloadsTests.Server server) : IClassFixture<OutOfOrderPayloadsTests.Server>
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in ShsExpectations.Cases().Where(c => ((string)c[1]).Contains("local-1430917381534", StringComparison.Ordinal)))
        {
            data.Add((string)row[0], (string)row[1], (string)row[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Swapped_and_retried_payloads_answer_as_the_history_server(string name, string path, string file)
    {
        _ = name;
        return ShsExpectations.AssertMatchesAsync(server.Client, path, file);
    }

    [Fact]
    public async Task Swapped_and_retried_payloads_leave_no_task_active_and_count_each_task_once()
    {
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        var tasks = log.Lines.Count(l => l.Contains("\"SparkListenerTaskEnd\"", StringComparison.Ordinal));
        var stages = await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}/stages");
        Assert.All(stages.EnumerateArray(), s =>
        {
            Assert.Equal("COMPLETE", s.GetProperty("status").GetString());
            Assert.Equal(0, s.GetProperty("numActiveTasks").GetInt32());
            Assert.Equal(s.GetProperty("numTasks").GetInt32(), s.GetProperty("numCompleteTasks").GetInt32());
        });
        var job = (await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}/jobs"))[0];
        Assert.Equal(("SUCCEEDED", 0, tasks), (job.GetProperty("status").GetString(), job.GetProperty("numActiveTasks").GetInt32(), job.GetProperty("numCompletedTasks").GetInt32()));
        var driver = (await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}/executors"))[0];
        Assert.Equal((0, tasks, tasks), (driver.GetProperty("activeTasks").GetInt32(), driver.GetProperty("totalTasks").GetInt32(), driver.GetProperty("completedTasks").GetInt32()));
        var application = await LiveRunTests.GetJsonAsync(server.Client, $"/api/v1/applications/{log.AppId}");
        Assert.Single(application.GetProperty("attempts").EnumerateArray());
    }

    /// <summary>A server that got local-1430917381534 in 10-event payloads, each pair swapped, every payload sent twice.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public async Task InitializeAsync() =>
            _server = await ShsExpectations.StartWithCollectedLogsAsync("shs", ShsExpectations.Logs.Take(1), batchSize: 10, SwappedPairsTwice);

        private static IEnumerable<string> SwappedPairsTwice(List<string> payloads)
        {
            for (var i = 0; i + 1 < payloads.Count; i += 2) (payloads[i], payloads[i + 1]) = (payloads[i + 1], payloads[i]);
            return [.. payloads, .. payloads];
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();
    }
}
