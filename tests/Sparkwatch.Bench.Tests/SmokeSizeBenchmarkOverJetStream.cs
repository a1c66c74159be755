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
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();

        var (result, output) = await SmokeRun.RunAsync("--topology", "jetstream",
            "--server-arg", "--store", "--server-arg", "postgres", "--server-arg", $"--Sparkwatch:Postgres:ConnectionString={connectionString}");

        using var _ = result;
        var root = result.RootElement;
        var ingest = root.GetProperty("ingest");
        Assert.True(ingest.GetProperty("events_per_second").GetDouble() > 0, output);
        Assert.True(ingest.GetProperty("stored_seconds").GetDouble() >= 0, output);
        var sinks = ingest.GetProperty("sinks").EnumerateArray().ToDictionary(s => s.GetProperty("sink").GetString()!, s => s);
        Assert.Contains("archive", sinks.Keys);
        Assert.All(sinks.Values, s => Assert.True(s.GetProperty("catch_up_seconds").GetDouble() >= ingest.GetProperty("stored_seconds").GetDouble(), output));
        // Every run-size step streamed the whole run back from the writer's store.
        foreach (var step in root.GetProperty("run_sizes").EnumerateArray())
        {
            Assert.Equal(step.GetProperty("events").GetInt64(), step.GetProperty("stream").GetProperty("events").GetInt64());
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("startup").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("disk").ValueKind);
    }
}
