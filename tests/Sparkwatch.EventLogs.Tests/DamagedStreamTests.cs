using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

public sealed class DamagedStreamTests : IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    public static TheoryData<string> Codecs() => [.. JavaCodecs.Codecs];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Truncated_stream_fails_naming_the_file_and_offset(string codec)
    {
        var whole = File.ReadAllBytes(CompressedSamples.Finished(codec, TestPaths.DelightExampleLog));
        var cut = whole.Length / 2 + 3;
        var path = Write($"app-1.{codec}", whole.AsSpan(0, cut));

        var error = Assert.Throws<EventLogFormatException>(() => ReadAll(path));

        Assert.Equal(path, error.Path);
        Assert.InRange(error.Offset, 1, cut);
        Assert.Contains(path, error.Message);
        Assert.Contains($"at byte {error.Offset}", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Stream_of_another_format_fails_at_byte_zero(string codec)
    {
        var path = Write($"app-1.{codec}", File.ReadAllBytes(TestPaths.DelightExampleLog).AsSpan(0, 4096));

        var error = Assert.Throws<EventLogFormatException>(() => ReadAll(path));

        Assert.Equal(0, error.Offset);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Corrupt_lz4_block_in_the_middle_fails_at_that_block()
    {
        var bytes = File.ReadAllBytes(CompressedSamples.Finished("lz4", TestPaths.DelightExampleLog));
        var middle = bytes.Length / 2;
        for (var i = 0; i < 8; i++) bytes[middle + i] ^= 0x5A;
        var path = Write("app-1.lz4", bytes);

        var error = Assert.Throws<EventLogFormatException>(() => ReadAll(path));

        Assert.InRange(error.Offset, 1, middle);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Corrupt_zstd_frame_fails_naming_the_file()
    {
        var bytes = File.ReadAllBytes(CompressedSamples.Finished("zstd", TestPaths.DelightExampleLog));
        for (var i = 0; i < 64; i++) bytes[bytes.Length / 3 + i] = 0xFF;
        var path = Write("app-1.zstd", bytes);

        var error = Assert.Throws<EventLogFormatException>(() => ReadAll(path));

        Assert.InRange(error.Offset, 0, bytes.Length);
        Assert.Contains("Zstandard", error.Message);
        Assert.Contains(path, error.Message);
    }

    private string Write(string name, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static void ReadAll(string path)
    {
        using var stream = EventLogFiles.OpenDecompressed(path);
        stream.CopyTo(Stream.Null);
    }

    public void Dispose() => _folder.Dispose();
}
