using BenchmarkDotNet.Attributes;
using Sparkwatch.Storage.Compression;

namespace Sparkwatch.MicroBench;

/// <summary>The stored form of events: every real source event compressed, and decompressed back.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private IReadOnlyList<byte[]> _events = [];
    private byte[][] _stored = [];
    private StoredEventCodec _codec = null!;

    [Params(1, 3)]
    public int Level { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = RealEvents.Source.Raw;
        _codec = new StoredEventCodec(Level);
        _stored = [.. _events.Select(e => _codec.Encode(e).ToArray())];
        Console.WriteLine($"// level {Level}: {_stored.Sum(s => (long)s.Length)} stored bytes for {_events.Sum(e => (long)e.Length)} raw bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => _codec.Dispose();

    /// <summary>~1,500 events, ~2 MB of JSON.</summary>
    [Benchmark]
    public long Encode()
    {
        long n = 0;
        foreach (var json in _events) n += _codec.Encode(json).Length;
        return n;
    }

    /// <summary>The same events back from their stored form.</summary>
    [Benchmark]
    public long Decode()
    {
        long n = 0;
        foreach (var stored in _stored) n += _codec.Decode(stored).Length;
        return n;
    }
}
