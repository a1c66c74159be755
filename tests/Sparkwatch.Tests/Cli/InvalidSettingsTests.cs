using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Cli;

/// <summary>Invalid settings stop the process at start-up with a message naming the setting, never a stack trace.</summary>
public sealed class InvalidSettingsTests : IDisposable
{
    private readonly TempFolder _data = TestPaths.NewTempFolder();

    [Theory]
    [InlineData("Sparkwatch:Store", "--store", "mongodb")]
    [InlineData("Sparkwatch:Roles", "--role", "admin")]
    [InlineData("Sparkwatch:Sqlite:Synchronous", "--Sparkwatch:Sqlite:Synchronous=SOMETIMES")]
    [InlineData("Sparkwatch:Sqlite:CheckpointPages", "--Sparkwatch:Sqlite:CheckpointPages=-1")]
    [InlineData("Sparkwatch:Limits:MaxBodyBytes", "--Sparkwatch:Limits:MaxBodyBytes=lots")]
    [InlineData("Sparkwatch:Limits:DefaultPageSize", "--Sparkwatch:Limits:DefaultPageSize=0")]
    [InlineData("Sparkwatch:Limits:TaskSummaryMemoryBytes", "--Sparkwatch:Limits:TaskSummaryMemoryBytes=-1")]
    [InlineData("Sparkwatch:Writer:QueueCapacity", "--Sparkwatch:Writer:QueueCapacity=-1")]
    [InlineData("Sparkwatch:Postgres:ConnectionString", "--store", "postgres")]
    [InlineData("Sparkwatch:Broker:Kind", "--Sparkwatch:Broker:Kind=kafka")]
    [InlineData("Sparkwatch:Broker:Kind=nats", "--role", "writer")]
    [InlineData("Sparkwatch:Broker:Url", "--Sparkwatch:Broker:Kind=nats", "--Sparkwatch:Broker:Url=http://nats:4222")]
    [InlineData("Sparkwatch:Broker:FetchBatchSize", "--Sparkwatch:Broker:Kind=nats", "--Sparkwatch:Broker:FetchBatchSize=0")]
    [InlineData("Sparkwatch:Archive:Codec", "--Sparkwatch:Archive:Codec=brotli")]
    [InlineData("Sparkwatch:Archive:S3:Bucket", "--Sparkwatch:Archive:Target=s3")]
    [InlineData("Sparkwatch:Archive:RollInterval", "--Sparkwatch:Archive:RollInterval=00:00:00")]
    public async Task Server_with_an_invalid_setting_exits_naming_it(string setting, params string[] args)
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string?>(),
            ["--urls", $"http://127.0.0.1:{ServiceProcess.FreeLoopbackPort()}", "--data-dir", _data.Path, .. args]);

        Assert.Equal(2, exitCode);
        Assert.Contains(setting, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Import_with_an_invalid_setting_exits_naming_it()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string?>(),
            "import", TestPaths.DelightExampleLog, "--data-dir", _data.Path, "--Sparkwatch:Limits:MaxNameLength=0");

        Assert.Equal(2, exitCode);
        Assert.Contains("Sparkwatch:Limits:MaxNameLength", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void Options_made_in_code_are_validated_by_the_typed_host()
    {
        var options = new SparkwatchOptions { DataDirectory = _data.Path, Limits = { MaxPageSize = 10, DefaultPageSize = 50 } };

        var e = Assert.Throws<OptionsValidationException>(() => SparkwatchServer.Create(options));

        Assert.Contains(e.Failures, f => f.Contains("Sparkwatch:Limits:DefaultPageSize", StringComparison.Ordinal));
    }

    public void Dispose() => _data.Dispose();
}
