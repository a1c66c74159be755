using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

public sealed class InProgressLogTests : IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    public static TheoryData<string> Codecs() => [.. JavaCodecs.Codecs];

    [Fact]
    public void Plain_in_progress_log_stops_before_its_half_written_last_line()
    {
        var lines = File.ReadLines(TestPaths.DelightExampleLog).Take(20).ToArray();
        var path = Path.Combine(_folder.Path, "spark-195580588c0f4597ade9c93018b4e67f.inprogress");
        File.WriteAllText(path, string.Join('\n', lines) + "\n" + lines[20 - 1][..30]);

        var log = Assert.Single(EventLogFiles.Discover(path));

        Assert.True(log.InProgress);
        Assert.Equal(lines, ReadLines(log));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Compressed_in_progress_log_gives_its_whole_lines_so_far(string codec)
    {
        // An unclosed stream, cut once more inside its last block, as a reader may see it while Spark writes.
        var bytes = File.ReadAllBytes(CompressedSamples.Unfinished(codec));
        var path = Path.Combine(_folder.Path, $"spark-195580588c0f4597ade9c93018b4e67f.{codec}.inprogress");
        File.WriteAllBytes(path, bytes[..^5]);
        var all = File.ReadAllLines(TestPaths.DelightExampleLog);

        var lines = ReadLines(Assert.Single(EventLogFiles.Discover(path)));

        Assert.InRange(lines.Length, 1, all.Length - 1);
        Assert.Equal(all[..lines.Length], lines);
    }

    [Fact]
    public void Finished_log_without_a_final_newline_keeps_its_last_line()
    {
        var path = Path.Combine(TestPaths.SparkEvents, "local-1430917381535_1");

        var lines = ReadLines(Assert.Single(EventLogFiles.Discover(path)));

        Assert.Equal(5, lines.Length);
        Assert.Equal(File.ReadAllText(path).Split('\n')[^1], lines[^1]);
    }

    private static string[] ReadLines(EventLog log) => [.. EventLogFiles.ReadLines(log).Select(l => Encoding.UTF8.GetString(l.Span))];

    public void Dispose() => _folder.Dispose();
}
