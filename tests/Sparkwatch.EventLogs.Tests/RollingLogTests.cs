using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

public sealed class RollingLogTests : IDisposable
{
    private const string AppId = "spark-195580588c0f4597ade9c93018b4e67f";
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    [Fact]
    public void Rolling_log_in_zstd_parts_reads_back_whole_in_index_order()
    {
        var directory = SplitIntoParts(parts: 11, codec: "zstd");
        File.WriteAllBytes(Path.Combine(directory, $"appstatus_{AppId}"), []);

        var log = Assert.Single(EventLogFiles.Discover(directory));

        Assert.Equal($"eventlog_v2_{AppId}", log.Name);
        Assert.Equal(AppId, log.AppId);
        Assert.False(log.InProgress);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => $"events_{i}_{AppId}.zstd"), log.Parts.Select(Path.GetFileName));
        Assert.Equal(File.ReadAllLines(TestPaths.DelightExampleLog), ReadLines(log));
    }

    [Fact]
    public void Rolling_log_whose_status_file_is_in_progress_is_in_progress()
    {
        var directory = SplitIntoParts(parts: 3, codec: null);
        File.WriteAllBytes(Path.Combine(directory, $"appstatus_{AppId}.inprogress"), []);

        var log = Assert.Single(EventLogFiles.Discover(_folder.Path));

        Assert.True(log.InProgress);
        Assert.Equal(File.ReadAllLines(TestPaths.DelightExampleLog), ReadLines(log));
    }

    [Fact]
    public void Compacted_part_replaces_the_parts_before_it()
    {
        var directory = SplitIntoParts(parts: 4, codec: null);
        File.Copy(Path.Combine(directory, $"events_2_{AppId}"), Path.Combine(directory, $"events_2_{AppId}.compact"));
        File.WriteAllBytes(Path.Combine(directory, $"appstatus_{AppId}"), []);

        var log = Assert.Single(EventLogFiles.Discover(directory));

        Assert.Equal([$"events_2_{AppId}.compact", $"events_3_{AppId}", $"events_4_{AppId}"], log.Parts.Select(Path.GetFileName));
    }

    /// <summary>Writes the delight log as a rolling log of <paramref name="parts"/> parts, compressed by Java when a codec is given.</summary>
    private string SplitIntoParts(int parts, string? codec)
    {
        var directory = Path.Combine(_folder.Path, $"eventlog_v2_{AppId}");
        Directory.CreateDirectory(directory);
        var lines = File.ReadAllLines(TestPaths.DelightExampleLog);
        var size = (lines.Length + parts - 1) / parts;
        var jobs = new List<CompressionJob>();
        for (var i = 0; i < parts; i++)
        {
            var plain = Path.Combine(directory, $"events_{i + 1}_{AppId}");
            File.WriteAllText(plain, string.Concat(lines.Skip(i * size).Take(size).Select(l => l + "\n")));
            if (codec is not null) jobs.Add(new CompressionJob(codec, plain, $"{plain}.{codec}"));
        }
        if (codec is null) return directory;
        JavaCodecs.Compress([.. jobs]);
        foreach (var job in jobs) File.Delete(job.Input);
        return directory;
    }

    private static string[] ReadLines(EventLog log) => [.. EventLogFiles.ReadLines(log).Select(l => Encoding.UTF8.GetString(l.Span))];

    public void Dispose() => _folder.Dispose();
}
