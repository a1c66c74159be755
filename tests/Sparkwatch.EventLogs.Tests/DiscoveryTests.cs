using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

public sealed class DiscoveryTests : IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    [Fact]
    public void Every_layout_in_sparks_test_logs_is_found_with_its_app_and_attempt()
    {
        var logs = EventLogFiles.Discover(TestPaths.SparkEvents);

        var found = logs.Select(l => (l.Name, l.AppId, l.AttemptId, Parts: string.Join(' ', l.Parts.Select(p => Path.GetRelativePath(TestPaths.SparkEvents, p))), l.InProgress));
        Assert.Equal(
        [
            ("app-20161116163331-0000", "app-20161116163331-0000", null, "app-20161116163331-0000", false),
            ("application_1538416563558_0014", "application_1538416563558_0014", null, "application_1538416563558_0014", false),
            ("local-1422981759269", "local-1422981759269", null, "local-1422981759269", false),
            ("local-1425081759269", "local-1425081759269", null, "local-1425081759269", false),
            ("local-1426533911241", "local-1426533911241", null, Path.Combine("local-1426533911241", "EVENT_LOG_1"), false),
            ("local-1430917381534", "local-1430917381534", null, "local-1430917381534", false),
            ("local-1430917381535_1", "local-1430917381535", "1", "local-1430917381535_1", false),
            ("local-1430917381535_2", "local-1430917381535", "2", "local-1430917381535_2", false),
        ], found);
    }

    [Fact]
    public void Codec_in_progress_and_attempt_suffixes_are_read_from_file_names()
    {
        foreach (var name in new[] { "application_1538416563558_0014_2.lz4.inprogress", "spark-0a1b.zstd", "local-1_3.snappy", ".hidden", "x.crc" })
        {
            File.WriteAllBytes(Path.Combine(_folder.Path, name), []);
        }

        var found = EventLogFiles.Discover(_folder.Path).Select(l => (l.Name, l.AppId, l.AttemptId, l.InProgress));

        Assert.Equal(
        [
            ("application_1538416563558_0014_2", "application_1538416563558_0014", "2", true),
            ("local-1_3", "local-1", "3", false),
            ("spark-0a1b", "spark-0a1b", null, false),
        ], found);
    }

    [Fact]
    public void Legacy_directory_log_is_decompressed_with_the_codec_its_marker_names()
    {
        var directory = Path.Combine(_folder.Path, "local-1426533911241");
        Directory.CreateDirectory(directory);
        var plain = Path.Combine(_folder.Path, "plain");
        File.Copy(Path.Combine(TestPaths.SparkEvents, "local-1426533911241", "EVENT_LOG_1"), plain);
        JavaCodecs.Compress(new CompressionJob("lzf", plain, Path.Combine(directory, "EVENT_LOG_1")));
        File.WriteAllBytes(Path.Combine(directory, "COMPRESSION_CODEC_org.apache.spark.io.LZFCompressionCodec"), []);

        var log = Assert.Single(EventLogFiles.Discover(directory));
        using var stream = EventLogFiles.OpenDecompressed(Assert.Single(log.Parts));
        using var decoded = new MemoryStream();
        stream.CopyTo(decoded);

        Assert.Equal(File.ReadAllBytes(plain), decoded.ToArray());
    }

    [Fact]
    public void Missing_path_fails_naming_it()
    {
        var missing = Path.Combine(_folder.Path, "nope");

        var error = Assert.Throws<FileNotFoundException>(() => EventLogFiles.Discover(missing));

        Assert.Contains(missing, error.Message);
    }

    public void Dispose() => _folder.Dispose();
}
