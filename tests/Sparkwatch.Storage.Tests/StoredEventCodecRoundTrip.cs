using System.Text;
using Sparkwatch.Storage.Compression;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The stored form of events: zstd with the built-in dictionary, decoded back to the exact bytes.</summary>
public sealed class StoredEventCodecRoundTrip
{
    private static IEnumerable<byte[]> EventsOf(string log) =>
        File.ReadLines(log).Where(line => line.StartsWith('{')).Select(Encoding.UTF8.GetBytes);

    private static IEnumerable<byte[]> AllRealEvents() =>
        Directory.EnumerateFiles(TestPaths.SparkEvents, "*", SearchOption.AllDirectories).Append(TestPaths.DelightExampleLog).SelectMany(EventsOf);

    [Fact]
    public void Every_real_event_decodes_to_its_exact_bytes()
    {
        using var encoder = new StoredEventCodec();
        using var decoder = new StoredEventCodec();
        var compressed = 0;
        foreach (var json in AllRealEvents())
        {
            var stored = encoder.Encode(json).ToArray();
            if (stored[0] == StoredEventCodec.ZstdDictionaryV1) compressed++;
            Assert.Equal(json, decoder.Decode(stored).ToArray());
            Assert.Equal(json, decoder.DecodeToBuffer(stored).ToArray());
        }
        Assert.True(compressed > 1000, $"only {compressed} events were stored compressed");
    }

    [Fact]
    public void Spark_3_events_the_dictionary_never_saw_shrink_below_a_third()
    {
        // The dictionary was trained on Spark 1.x-2.x test logs only; the Delight log is Spark 3.
        using var codec = new StoredEventCodec();
        long raw = 0, stored = 0;
        foreach (var json in EventsOf(TestPaths.DelightExampleLog))
        {
            raw += json.Length;
            stored += codec.Encode(json).Length;
        }
        Assert.True(stored < raw * 0.3, $"{stored} stored bytes for {raw} raw bytes");
    }

    [Fact]
    public void Uncompressed_events_are_stored_and_read_as_they_are()
    {
        using var codec = new StoredEventCodec(level: 0);
        var json = """{"Event":"SparkListenerJobStart","Job ID":1}"""u8.ToArray();
        Assert.Equal(json, codec.Encode(json).ToArray());
        Assert.Equal(json, codec.Decode(json).ToArray());
        Assert.Equal(json, codec.DecodeToBuffer(json).ToArray());
    }

    [Fact]
    public void Tiny_event_that_would_grow_is_kept_uncompressed()
    {
        using var codec = new StoredEventCodec();
        var json = """{"Event":"x"}"""u8.ToArray();
        Assert.Equal(json, codec.Encode(json).ToArray());
    }
}
