using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

/// <summary>
/// A snappy-java block whose length fields claim more than any block Spark writes, or more than its bytes can inflate
/// to, is a format error at once, not an allocation of what it claims (found by the fuzzer: OutOfMemoryException).
/// </summary>
public sealed class ImpossibleBlockLengthTests : IDisposable
{
    private static readonly byte[] SnappyJavaHeader = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1];

    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    public static TheoryData<string, byte[]> Blocks() => new()
    {
        // A block length of nearly 2 GiB, with a few bytes behind it.
        { "compressed length", [.. SnappyJavaHeader, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3] },
        // A 6-byte block whose Snappy preamble claims 1 GiB once inflated.
        { "inflated length", [.. SnappyJavaHeader, 0, 0, 0, 6, 0x80, 0x80, 0x80, 0x80, 0x04, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_block_claiming_an_impossible_length_fails_without_allocating_it(string claim, byte[] bytes)
    {
        var path = Path.Combine(_folder.Path, "app-1.snappy");
        File.WriteAllBytes(path, bytes);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Record.Exception(() =>
        {
            using var stream = EventLogFiles.OpenDecompressed(path);
            stream.CopyTo(Stream.Null);
        });

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(error is EventLogFormatException, $"{claim}: {error}");
        Assert.True(allocated < 16 << 20, $"{claim}: reading {bytes.Length} bytes allocated {allocated >> 20} MiB");
    }

    public void Dispose() => _folder.Dispose();
}
