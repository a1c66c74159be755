using Sparkwatch.Testing;
using Sparkwatch.Tests.Import;

namespace Sparkwatch.Tests.SparkApi;

/// <summary>The shared Spark logs, loaded with <c>sparkwatch import</c>, answer /api/v1 as Spark's History Server does.</summary>
public sealed class ImportedLogsMatchHistoryServerTests(ImportedLogsMatchHistoryServerTests.Server server) : IClassFixture<ImportedLogsMatchHistoryServerTests.Server>
{
    public static TheoryData<string, string, string> Cases() => ShsExpectations.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Imported_log_answers_as_the_history_server(string name, string path, string file)
    {
        _ = name;
        return ShsExpectations.AssertMatchesAsync(server.Client, path, file);
    }

    /// <summary>One server over a data folder the case logs were imported into.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private readonly TempFolder _data = TestPaths.NewTempFolder();
        private ServerUnderTest _server = null!;

        public HttpClient Client => _server.Client;

        public async Task InitializeAsync()
        {
            string[] logs = [.. ShsExpectations.Logs.Select(p => p.EndsWith("EVENT_LOG_1", StringComparison.Ordinal) ? Path.GetDirectoryName(p)! : p)];
            var (exitCode, output) = await ImportedRuns.RunAsync([.. logs, "--data-dir", _data.Path]);
            Assert.True(exitCode == 0, output);
            _server = await ServerUnderTest.StartAsync(_data.Path);
        }

        public async Task DisposeAsync()
        {
            await _server.DisposeAsync();
            _data.Dispose();
        }
    }
}
