namespace Sparkwatch.Broker;

/// <summary>Which broker sits between collectors and store writers (<see cref="BrokerOptions.Kind"/>; written <c>none</c> or <c>nats</c>).</summary>
public enum BrokerKind
{
    /// <summary>No broker: the collector commits to the store itself (the embedded default).</summary>
    None,

    /// <summary>NATS JetStream: collectors publish accepted batches, writer processes store them.</summary>
    Nats,
}

/// <summary>The scale-out transport between the <c>collector</c> and <c>writer</c> roles (docs/deployment.md).</summary>
public sealed class BrokerOptions
{
    /// <summary><c>none</c> (default: the collector stores what it accepts itself) or <c>nats</c> (it publishes to JetStream and
    /// processes with the <c>writer</c> role store it).</summary>
    public BrokerKind Kind { get; set; } = BrokerKind.None;

    /// <summary>The NATS server(s), comma-separated, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>Name of the JetStream stream that holds accepted batches (created or updated at start-up).</summary>
    public string Stream { get; set; } = "SPARKWATCH";

    /// <summary>Subject prefix: batches are published to <c>&lt;Subject&gt;.batches</c>; the stream holds <c>&lt;Subject&gt;.&gt;</c>.</summary>
    public string Subject { get; set; } = "sparkwatch";

    /// <summary>Copies JetStream keeps of each batch (1, or 3/5 on a NATS cluster).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>How long the stream keeps a batch after it was published (writers have long stored it by then).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most bytes the stream keeps (oldest batches are dropped first); 0 (default): no limit but <see cref="MaxAge"/>.</summary>
    public long MaxBytes { get; set; }

    /// <summary>Window in which JetStream drops a batch published again with the same id (a quick client retry).</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the collector waits for JetStream's acknowledgement before it answers 503.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>Retry-After</c> (seconds) of the 503 answered while JetStream is unreachable.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Durable consumer name shared by every writer process (JetStream spreads batches among them).</summary>
    public string WriterConsumer { get; set; } = "sparkwatch-writer";

    /// <summary>Most batches one writer process holds unacknowledged at once (pulled together, committed in groups).</summary>
    public int FetchBatchSize { get; set; } = 64;

    /// <summary>How long a batch handed to a writer may stay unacknowledged before JetStream gives it to another writer.</summary>
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The subject batches are published to.</summary>
    public string BatchSubject => Subject + ".batches";
}
