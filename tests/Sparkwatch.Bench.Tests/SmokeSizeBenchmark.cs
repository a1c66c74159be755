namespace Sparkwatch.Bench.Tests;

/// <summary>The harness at its smoke size runs end to end and writes a result file that makes sense (the figures themselves are not judged).</summary>
public sealed class SmokeSizeBenchmark
{
    [Fact]
    public async Task Smoke_run_writes_a_result_file_with_positive_figures()
    {
        var (result, output) = await SmokeRun.RunAsync("--warmup-seconds", "1");
        using var _ = result;
        var root = result.RootElement;
        var ingest = root.GetProperty("ingest");
        Assert.True(ingest.GetProperty("events_per_second").GetDouble() > 0, output);
        Assert.Equal(ingest.GetProperty("events").GetInt64(), ingest.GetProperty("events_stored").GetInt64());
        Assert.True(ingest.GetProperty("peak_rss_mb").GetDouble() > 0);
        Assert.True(root.GetProperty("half_load").GetProperty("ack_latency_ms").GetProperty("p99").GetDouble() > 0);
        foreach (var step in root.GetProperty("run_sizes").EnumerateArray())
        {
            Assert.Equal(step.GetProperty("events").GetInt64(), step.GetProperty("stream").GetProperty("events").GetInt64());
            Assert.True(step.GetProperty("stream").GetProperty("events_per_second").GetDouble() > 0);
        }
        Assert.Equal(3, root.GetProperty("run_counts").GetArrayLength());
        Assert.True(root.GetProperty("disk").GetProperty("stored_bytes_per_event").GetDouble() > 0);
        Assert.True(root.GetProperty("startup").GetProperty("median_seconds").GetDouble() > 0);
        Assert.NotEmpty(root.GetProperty("targets").EnumerateArray());
        Assert.Contains("| ingest throughput, real events |", output);
        Assert.Contains("warmup: ", output);
    }

    [Theory]
    [InlineData("--warmup-seconds", "-1")]
    [InlineData("--concurrency", "eight")]
    [InlineData("--size", "huge")]
    public async Task A_bad_option_value_is_refused_with_exit_code_2(string option, string value)
    {
        using var output = new StringWriter();
        Assert.Equal(2, await BenchCommand.RunAsync([option, value], output));
    }
}
