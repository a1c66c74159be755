namespace Sparkwatch.EventLogs.Tests;

public sealed class CompressedLogDecodingTests
{
    public static TheoryData<string, string> CodecsAndLogs()
    {
        var data = new TheoryData<string, string>();
        foreach (var codec in JavaCodecs.Codecs)
        {
            foreach (var source in CompressedSamples.Sources) data.Add(codec, Path.GetFileName(source));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndLogs))]
    public void Java_compressed_log_decodes_to_the_plain_log_byte_for_byte(string codec, string log)
    {
        var source = CompressedSamples.Sources.Single(s => Path.GetFileName(s) == log);
        var compressed = CompressedSamples.Finished(codec, source);

        using var stream = EventLogFiles.OpenDecompressed(compressed);
        using var decoded = new MemoryStream();
        stream.CopyTo(decoded, 5000); // an odd buffer size crosses block boundaries

        var expected = File.ReadAllBytes(source);
        Assert.NotEqual(expected.Length, new FileInfo(compressed).Length);
        Assert.Equal(expected.Length, decoded.Length);
        Assert.True(expected.AsSpan().SequenceEqual(decoded.ToArray()), $"{codec} decoding of {log} differs from the plain log");
    }
}
