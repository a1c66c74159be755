using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Import;

public sealed class ImportedLogsAreServedLikeCollectedOnes : IAsyncLifetime
{
    private readonly TempFolder _data = TestPaths.NewTempFolder();
    private ServerUnderTest _server = null!;
    private (int ExitCode, string Output) _import;

    public async Task InitializeAsync()
    {
        _import = await ImportedRuns.RunAsync([.. ImportedRuns.AllLogs, "--data-dir", _data.Path]);
        _server = await ServerUnderTest.StartAsync(_data.Path);
    }

    [Fact]
    public void Import_of_every_log_succeeds()
    {
        Assert.True(_import.ExitCode == 0, _import.Output);
        Assert.Contains("9 of 9 logs imported", _import.Output);
    }

    [Fact]
    public async Task Events_come_back_byte_identical_and_sorted()
    {
        foreach (var run in ImportedRuns.Expected().GroupBy(e => (e.JobName, e.RunId)))
        {
            var served = (await _server.Client.GetStringAsync(EventsPath(run.Key.JobName, run.Key.RunId))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var expected = ImportedRuns.ServedOrder(run);

            Assert.Equal(expected.Length, served.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                if (expected[i].StartsWith("{\"Event\":\"SparkListenerEnvironmentUpdate\"", StringComparison.Ordinal))
                {
                    Assert.True(JsonNode.DeepEquals(ImportedRuns.Redacted(expected[i]), JsonNode.Parse(served[i])), $"{run.Key}: environment update differs");
                }
                else
                {
                    Assert.Equal(expected[i], served[i]);
                }
            }
        }
    }

    [Fact]
    public async Task Durations_are_application_end_minus_start_of_each_attempt()
    {
        foreach (var run in ImportedRuns.Expected().GroupBy(e => (e.JobName, e.RunId)))
        {
            var duration = (await _server.Client.GetFromJsonAsync<JsonObject>(EventsPath(run.Key.JobName, run.Key.RunId).Replace("/events", "/duration")))!;
            var latest = run.MaxBy(a => a.Start)!;

            Assert.Equal(latest.End - latest.Start, (long?)duration["duration_ms"]);
            Assert.Equal(run.Select(a => a.End - a.Start).Order(), duration["attempts"]!.AsArray().Select(a => (long?)a!["duration_ms"]).Order());
        }
    }

    internal static string EventsPath(string job, string run) => $"/job/{Uri.EscapeDataString(job)}/{Uri.EscapeDataString(run)}/events";

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }
}
