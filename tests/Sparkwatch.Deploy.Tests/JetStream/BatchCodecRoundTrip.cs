using System.Text;
using Sparkwatch.Broker;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Testing;
using ZstdSharp;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>The JetStream message of a batch (<see cref="BatchCodec"/>) gives back the very batch, and nothing else reads as one.</summary>
public sealed class BatchCodecRoundTrip
{
    private static readonly ListenerPayloadDecoder Listener = new(EventNormalizer.Default, 4096);

    public static TheoryData<string> Batches() => ["capture", "quarantine and heartbeats", "no counters", "delight retries", "upload complete"];

    [Theory]
    [MemberData(nameof(Batches))]
    public void Every_field_of_a_batch_survives_the_round_trip(string name)
    {
        using var batch = Make(name);
        var (message, _) = BatchCodec.Encode(batch);
        using var decoded = BatchCodec.Decode(message);
        Assert.Equal(Describe(batch), Describe(decoded));
    }

    [Fact]
    public void Captured_payloads_all_survive_the_round_trip()
    {
        foreach (var line in File.ReadLines(TestPaths.ListenerCapture))
        {
            using var batch = Listener.Decode(Encoding.UTF8.GetBytes(line), 1_700_000_000_000);
            using var decoded = BatchCodec.Decode(BatchCodec.Encode(batch).Message);
            Assert.Equal(Describe(batch), Describe(decoded));
        }
    }

    [Fact]
    public void A_retried_batch_keeps_its_message_id_whenever_it_arrives()
    {
        var line = File.ReadLines(TestPaths.ListenerCapture).First();
        using var first = Listener.Decode(Encoding.UTF8.GetBytes(line), 1_000);
        using var retry = Listener.Decode(Encoding.UTF8.GetBytes(line), 9_000);
        using var other = Listener.Decode(Encoding.UTF8.GetBytes(File.ReadLines(TestPaths.ListenerCapture).Skip(1).First()), 1_000);
        Assert.Equal(BatchCodec.Encode(first).MessageId, BatchCodec.Encode(retry).MessageId);
        Assert.NotEqual(BatchCodec.Encode(first).MessageId, BatchCodec.Encode(other).MessageId);
    }

    [Fact]
    public void Heartbeats_at_different_times_are_different_messages()
    {
        using var early = new IngestBatch(new RunKey("j", "r"), null, 1_000, [], [], heartbeatCount: 1, messageCount: 1);
        using var late = new IngestBatch(new RunKey("j", "r"), null, 11_000, [], [], heartbeatCount: 1, messageCount: 1);
        Assert.NotEqual(BatchCodec.Encode(early).MessageId, BatchCodec.Encode(late).MessageId);
    }

    [Fact]
    public void Bytes_that_are_not_a_batch_are_refused_as_such_whatever_they_hold()
    {
        using var batch = Make("quarantine and heartbeats");
        var message = BatchCodec.Encode(batch).Message;
        var body = Decompress(message);
        var random = new Random(9);
        var candidates = new List<byte[]> { Array.Empty<byte>(), "SWB1"u8.ToArray(), Encoding.UTF8.GetBytes("{\"job_name\":\"x\"}"), message[..^3], message[..(message.Length / 2)] };
        for (var i = 0; i < 300; i++)
        {
            var mutated = (byte[])body.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            candidates.Add(Compress(i % 10 == 0 ? mutated[..random.Next(mutated.Length)] : mutated));
        }
        foreach (var candidate in candidates)
        {
            // A mutation may still be a valid batch (a changed byte of JSON); anything else must be a BatchEncodingException.
            var error = Record.Exception(() => BatchCodec.Decode(candidate)?.Dispose());
            Assert.True(error is null or BatchEncodingException, $"{error?.GetType().Name}: {error?.Message}");
        }
        Assert.Throws<BatchEncodingException>(() => BatchCodec.Decode("SWB1"u8.ToArray().Concat(new byte[] { 1, 2, 3 }).ToArray()));
    }

    private static IngestBatch Make(string name)
    {
        var run = new RunKey("job / ü", "run-1");
        var start = new IngestMessage(0, 1_000, new EventFacts(SparkEventTypes.ApplicationStart, 999, "1", "app-1", "Spark Pi"),
            "{\"Event\":\"SparkListenerApplicationStart\"}"u8.ToArray(), 42);
        var end = new IngestMessage(2, 1_200, new EventFacts(SparkEventTypes.ApplicationEnd, 1_199), "{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":1199}"u8.ToArray(), -7);
        var bad = new QuarantinedMessage(1, 1_100, "content is not JSON", new byte[] { 0xff, 0x00, 0x7b });
        return name switch
        {
            "capture" => Listener.Decode(Encoding.UTF8.GetBytes(File.ReadLines(TestPaths.ListenerCapture).First()), 123),
            "quarantine and heartbeats" => new IngestBatch(run, 11, 5_000, [start, end], [bad], heartbeatCount: 2, messageCount: 5),
            "no counters" => new IngestBatch(run, null, 5_000, [start], [], heartbeatCount: 0, messageCount: 1),
            "delight retries" => new IngestBatch(run, 1, 5_000, [start, end], [bad], heartbeatCount: 0, messageCount: 3) { Retries = RetryNumbering.RebuiltWithNewCounters },
            _ => new IngestBatch(run, null, 5_000, [], [], heartbeatCount: 0, messageCount: 0, uploadComplete: true),
        };
    }

    private static string Describe(IngestBatch b)
    {
        var text = new StringBuilder($"{b.Run} first={b.FirstSeq} at={b.ReceivedAt} hb={b.HeartbeatCount} n={b.MessageCount} done={b.UploadComplete} retries={b.Retries}\n");
        foreach (var e in b.Events) text.Append($"E {e.Ordinal} {e.GeneratedAt} {e.Hash} {e.Facts} {Convert.ToBase64String(e.Json.Span)}\n");
        foreach (var q in b.Quarantined) text.Append($"Q {q.Ordinal} {q.GeneratedAt} {q.Reason} {Convert.ToBase64String(q.Content.Span)}\n");
        return text.ToString();
    }

    private static byte[] Decompress(byte[] message)
    {
        using var decompressor = new Decompressor();
        return decompressor.Unwrap(message.AsSpan(4)).ToArray();
    }

    private static byte[] Compress(byte[] body)
    {
        using var compressor = new Compressor(1);
        return [.. "SWB1"u8.ToArray(), .. compressor.Wrap(body).ToArray()];
    }
}
