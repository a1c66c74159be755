using BenchmarkDotNet.Attributes;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.MicroBench;

/// <summary>The decode path: a whole listener body, and the fact extraction of each event on its own.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private readonly ListenerPayloadDecoder _decoder = new(EventNormalizer.Default, 4096);
    private readonly ListenerPayloadDecoder _generalReader = new(EventNormalizer.Default, 4096) { ReadsCanonicalEnvelopeFirst = false };
    private byte[] _body = [];
    private IReadOnlyList<byte[]> _events = [];

    [Params(100, 1000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = RealEvents.InflatedBody(Messages);
        _events = RealEvents.Source.Raw;
    }

    /// <summary>Throughput in MB/s = body size / mean time.</summary>
    [Benchmark]
    public int DecodeListenerPayload()
    {
        using var batch = _decoder.Decode(_body, 0);
        return batch.Events.Count;
    }

    /// <summary>The same body by the general <c>Utf8JsonReader</c> path alone (the decoder before its canonical fast path).</summary>
    [Benchmark]
    public int DecodeListenerPayloadGeneralReader()
    {
        using var batch = _generalReader.Decode(_body, 0);
        return batch.Events.Count;
    }

    /// <summary>Every real source event once (~1,500 events, ~2 MB).</summary>
    [Benchmark]
    public int ReadEventFacts()
    {
        var n = 0;
        foreach (var json in _events)
        {
            if (EventFactReader.TryRead(json, out _, out _)) n++;
        }
        return n;
    }
}
