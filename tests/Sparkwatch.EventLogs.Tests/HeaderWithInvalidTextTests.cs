using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

/// <summary>
/// Names in a log's first events that are not valid text (invalid UTF-8, a lone surrogate escape, a NUL) are passed
/// over for the next source of the run's name; they do not fail the scan (found by the fuzzer, docs/fuzzing.md).
/// </summary>
public sealed class HeaderWithInvalidTextTests
{
    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00x")]
    [InlineData("a\\u0000b")]
    [InlineData("INVALID_UTF8")]
    public void A_name_that_is_not_valid_text_falls_back_to_the_next_source(string badName)
    {
        using var folder = TestPaths.NewTempFolder();
        var path = Path.Combine(folder.Path, "app-20240101000000-0007");
        var lines = string.Join('\n',
            $"{{\"Event\":\"SparkListenerEnvironmentUpdate\",\"Spark Properties\":{{\"spark.app.name\":\"{badName}\",\"{badName}\":\"x\",\"spark.app.id\":\"app-from-properties\"}}}}",
            $"{{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"{badName}\",\"App ID\":\"{badName}\",\"Timestamp\":1,\"User\":\"u\"}}") + "\n";
        File.WriteAllBytes(path, Bytes.Replace(Encoding.UTF8.GetBytes(lines), "INVALID_UTF8"u8, [0xff, 0xfe]));
        var log = EventLogFiles.Discover(path).Single();

        var header = EventLogHeader.Read(log);

        Assert.True(header.SawApplicationStart);
        Assert.Equal((EventLogHeader.UnnamedJob, "app-from-properties"), header.RunName(log));
    }
}
