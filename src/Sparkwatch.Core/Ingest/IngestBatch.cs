namespace Sparkwatch.Core.Ingest;

/// <summary>
/// The one shape every receiver decodes its wire format into: the messages of one payload of one run.
/// Nothing after the decoder knows which client sent it.
/// </summary>
public sealed class IngestBatch : IDisposable
{
    private PooledBuffer? _pooledArena;
    private StoredForms? _storedForms;

    /// <summary>Creates a batch; <paramref name="pooledArena"/>, when given, backs the messages' bytes and is given back on dispose.</summary>
    public IngestBatch(RunKey run, long? firstSeq, long receivedAt, IReadOnlyList<IngestMessage> events,
        IReadOnlyList<QuarantinedMessage> quarantined, int heartbeatCount, int messageCount, bool uploadComplete = false,
        PooledBuffer? pooledArena = null)
    {
        Run = run;
        FirstSeq = firstSeq;
        ReceivedAt = receivedAt;
        Events = events;
        Quarantined = quarantined;
        HeartbeatCount = heartbeatCount;
        MessageCount = messageCount;
        UploadComplete = uploadComplete;
        _pooledArena = pooledArena;
    }

    /// <summary>The run the messages belong to.</summary>
    public RunKey Run { get; }

    /// <summary>
    /// Run-wide sequence number of the payload's first message, from the client's counters;
    /// <c>null</c> when the client sent no counters, in which case the store numbers the messages in arrival order.
    /// </summary>
    public long? FirstSeq { get; }

    /// <summary>Server time (epoch ms) at which the payload was received.</summary>
    public long ReceivedAt { get; }

    /// <summary>The valid Spark events of the payload.</summary>
    public IReadOnlyList<IngestMessage> Events { get; }

    /// <summary>Messages whose content was not a valid Spark event, kept aside with the reason.</summary>
    public IReadOnlyList<QuarantinedMessage> Quarantined { get; }

    /// <summary>How many heartbeats the payload carried (they count in the sequence, but are not stored).</summary>
    public int HeartbeatCount { get; }

    /// <summary>How many messages of any kind the payload carried.</summary>
    public int MessageCount { get; }

    /// <summary>True when the client said the run's upload is complete (the Delight agent's <c>/ack</c>).</summary>
    public bool UploadComplete { get; }

    /// <summary>How the client numbers a retried payload; decides how the store recognises a retry.</summary>
    public RetryNumbering Retries { get; init; } = RetryNumbering.SameSeqs;

    /// <summary>Each event's stored form, when the store made them before the batch reached its writer (<see cref="AttachStoredForms"/>).</summary>
    public StoredForms? StoredForms { get; private set; }

    /// <summary>Gives the batch its events' stored forms, which it disposes with itself (replacing any made before).</summary>
    public void AttachStoredForms(StoredForms forms)
    {
        Interlocked.Exchange(ref _storedForms, forms)?.Dispose();
        StoredForms = forms;
    }

    /// <summary>Total bytes of event JSON in the batch.</summary>
    public long EventBytes => Events.Sum(e => (long)e.Json.Length);

    /// <summary>The client's sequence number of the message at <paramref name="ordinal"/>, given the run's highest sequence number stored so far.</summary>
    public long SeqOf(int ordinal, long runMaxSeq) => (FirstSeq ?? runMaxSeq + 1) + ordinal;

    /// <inheritdoc/>
    public void Dispose()
    {
        Interlocked.Exchange(ref _pooledArena, null)?.Dispose();
        Interlocked.Exchange(ref _storedForms, null)?.Dispose();
    }
}

/// <summary>How a client numbers the payload it sends again after a failure.</summary>
public enum RetryNumbering
{
    /// <summary>The retry carries the same seqs (the Data Mechanics listener, our own senders): a seq already stored with the same bytes is a duplicate.</summary>
    SameSeqs,

    /// <summary>
    /// The client raised its counters before the payload was acknowledged and rebuilds the retry from the head of its
    /// queue (the Delight agent): the same messages first, maybe more, under new seqs.
    /// </summary>
    RebuiltWithNewCounters,
}
