using System.Text;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.Core.Tests;

/// <summary>Decoding the listener's envelope into a batch.</summary>
public sealed class ListenerPayloadDecoderTests
{
    private static readonly ListenerPayloadDecoder Decoder = new(EventNormalizer.Default, maxNameLength: 50);

    private static IngestBatch Decode(string json) => Decoder.Decode(Encoding.UTF8.GetBytes(json), receivedAt: 42);

    [Fact]
    public void Seq_numbers_follow_from_the_message_counter_heartbeats_included()
    {
        using var batch = Decode("""
            {"job_name":"j","run_id":"r","sent_at":9,"counters":{"message_counter":12,"payload_counter":3},"messages":[
            {"generated_at":1,"message_type":"spark-event","content":"{\"Event\":\"A\"}"},
            {"generated_at":2,"message_type":"heartbeat","content":""},
            {"generated_at":3,"message_type":"spark-event","content":"{\"Event\":\"B\"}"}]}
            """);

        Assert.Equal(new RunKey("j", "r"), batch.Run);
        Assert.Equal([10L, 12L], batch.Events.Select(e => batch.SeqOf(e.Ordinal, runMaxSeq: 0)));
        Assert.Equal(1, batch.HeartbeatCount);
        Assert.Equal("{\"Event\":\"B\"}", Encoding.UTF8.GetString(batch.Events[1].Json.Span));
    }

    [Fact]
    public void Fields_may_come_in_any_order()
    {
        using var batch = Decode("""{"messages":[{"content":"{\"Event\":\"A\"}","generated_at":5,"message_type":"spark-event"}],"counters":{"message_counter":1},"run_id":"r","job_name":"j"}""");
        Assert.Equal(1, batch.SeqOf(0, 0));
        Assert.Equal(5, batch.Events[0].GeneratedAt);
    }

    [Fact]
    public void Without_counters_the_store_numbers_messages_after_the_runs_last_seq()
    {
        using var batch = Decode("""{"job_name":"j","run_id":"r","messages":[{"generated_at":1,"message_type":"spark-event","content":"{\"Event\":\"A\"}"}]}""");
        Assert.Null(batch.FirstSeq);
        Assert.Equal(8, batch.SeqOf(0, runMaxSeq: 7));
    }

    [Fact]
    public void A_name_over_the_limit_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<EnvelopeException>(() => Decode($$"""{"job_name":"{{new string('x', 51)}}","run_id":"r","messages":[]}"""));
        Assert.Contains("MaxNameLength", error.Message);
    }
}
