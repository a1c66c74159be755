using Sparkwatch.Testing;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The shared Spark logs, sent through /collect as the listener sends them, answer /api/v1 as Spark's History Server does.</summary>
public sealed class CollectedLogsMatchHistoryServerTests(CollectedLogsMatchHistoryServerTests.Server server) : IClassFixture<CollectedLogsMatchHistoryServerTests.Server>
{
    public static TheoryData<string, string, string> Cases() => ShsExpectations.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Collected_log_answers_as_the_history_server(string name, string path, string file)
    {
        _ = name;
        return ShsExpectations.AssertMatchesAsync(server.Client, path, file);
    }

    /// <summary>One server that received every case's log through /collect, 40 events per payload.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public async Task InitializeAsync() => _server = await ShsExpectations.StartWithCollectedLogsAsync("shs", ShsExpectations.Logs, batchSize: 40);

        public async Task DisposeAsync() => await _server.DisposeAsync();
    }
}
