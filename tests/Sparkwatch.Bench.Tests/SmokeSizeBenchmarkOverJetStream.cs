using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Bench.Tests;

/// <summary>
/// The harness at its smoke size in the JetStream topology (nats-server, collector, writer, sinks processes over
/// PostgreSQL) runs to the end: its reads wait for the writer (no 404 of a run not stored yet), and it reports how long
/// after the last acknowledgement the store and each sink had everything.
/// </summary>
public sealed class SmokeSizeBenchmarkOverJetStream
{
    [Fact]
    public async Task Smoke_run_over_JetStream_reads_what_the_writer_stored_and_reports_the_lag_to_stored_and_archived()
    {
        using var folder = TestPaths.NewTempFolder();
        var resultFile = Path.Combine(folder.Path, "result.json");
        var output = new StringWriter();
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();

        var exitCode = await BenchCommand.RunAsync(["--smoke", "--ingest-seconds", "2", "--half-load-seconds", "1", "--topology", "jetstream",
            "--server-arg", "--store", "--server-arg", "postgres", "--server-arg", $"--Sparkwatch:Postgres:ConnectionString={connectionString}", "--out", resultFile], output);

        Assert.Equal(0, exitCode);
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(resultFile));
        var root = result.RootElement;
        var ingest = root.GetProperty("ingest");
        Assert.True(ingest.GetProperty("events_per_second").GetDouble() > 0, output.ToString());
        Assert.True(ingest.GetProperty("stored_seconds").GetDouble() >= 0, output.ToString());
        var sinks = ingest.GetProperty("sinks").EnumerateArray().ToDictionary(s => s.GetProperty("sink").GetString()!, s => s);
        Assert.Contains("archive", sinks.Keys);
        Assert.All(sinks.Values, s => Assert.True(s.GetProperty("catch_up_seconds").GetDouble() >= ingest.GetProperty("stored_seconds").GetDouble(), output.ToString()));
        // Every run-size step streamed the whole run back from the writer's store.
        foreach (var step in root.GetProperty("run_sizes").EnumerateArray())
        {
            Assert.Equal(step.GetProperty("events").GetInt64(), step.GetProperty("stream").GetProperty("events").GetInt64());
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("startup").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("disk").ValueKind);
    }
}
