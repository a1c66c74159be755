using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sparkwatch.Metrics;

/// <summary>
/// The service's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> (docs/metrics.md lists them).
/// Recording is lock-free and allocation-free: tags are constant strings passed in a <see cref="TagList"/> on the stack,
/// and nothing is recorded per event, only per payload and per commit. Gauges read their value when scraped.
/// </summary>
public sealed class SparkwatchMetrics
{
    /// <summary>The meter's name, to enable it in an exporter.</summary>
    public const string MeterName = "Sparkwatch";

    // Prometheus' default buckets start at 5 ms; these resolve 1 ms to 5 s for acks and commits.
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] ByteBuckets = [1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Counter<long> _payloads;
    private readonly Counter<long> _events;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _quarantined;
    private readonly Counter<long> _wireBytes;
    private readonly Counter<long> _eventBytes;
    private readonly Histogram<long> _payloadSize;
    private readonly Histogram<double> _ackLatency;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _batchesPerCommit;
    private readonly ConcurrentDictionary<string, Func<SinkLagReading?>> _sinkLags = new(StringComparer.Ordinal);
    private Func<long>? _writerQueue;
    private Func<long>? _memoryInUse;
    private Func<long?>? _storeSize;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/>.</summary>
    public SparkwatchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _payloads = meter.CreateCounter<long>("sparkwatch.ingest.payloads", "{payload}",
            "Payloads received, by receiver and outcome (stored, refused, aborted) and HTTP status.");
        _events = meter.CreateCounter<long>("sparkwatch.ingest.events", "{event}", "Events newly stored (retried duplicates not counted).");
        _duplicates = meter.CreateCounter<long>("sparkwatch.ingest.duplicates", "{event}", "Events received again (same run and seq) and stored once.");
        _quarantined = meter.CreateCounter<long>("sparkwatch.ingest.quarantined", "{message}", "Messages kept aside as not valid events.");
        _wireBytes = meter.CreateCounter<long>("sparkwatch.ingest.received", "By", "Request body bytes received by the ingest endpoints, as sent (compressed or not).");
        _eventBytes = meter.CreateCounter<long>("sparkwatch.ingest.event.size", "By",
            "Event JSON bytes in committed payloads, after decode and redaction, before the store's compression (retried duplicates included).");
        _payloadSize = meter.CreateHistogram("sparkwatch.ingest.payload.size", "By", "Size of each ingest request body as sent.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [.. ByteBuckets.Select(b => (long)b)] });
        _ackLatency = meter.CreateHistogram("sparkwatch.ingest.ack.duration", "s",
            "From the start of an ingest request to its durable acknowledgement, for payloads acknowledged.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _commitDuration = meter.CreateHistogram("sparkwatch.writer.commit.duration", "s", "Duration of each group commit of the writer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _batchesPerCommit = meter.CreateHistogram("sparkwatch.writer.commit.payloads", "{payload}", "Payloads stored by each group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        meter.CreateObservableGauge("sparkwatch.writer.queue.depth", () => Observe(_writerQueue), "{payload}",
            "Payloads waiting for the writer.");
        meter.CreateObservableGauge("sparkwatch.ingest.memory.usage", () => Observe(_memoryInUse), "By",
            "Bytes of the ingest memory budget (Sparkwatch:Limits:MaxInFlightBytes) reserved by payloads in flight.");
        meter.CreateObservableGauge("sparkwatch.store.size", () => Observe(_storeSize?.Invoke()), "By",
            "Size of the store on disk: the SQLite file and its WAL, or the PostgreSQL database (read at most every few seconds).");
        meter.CreateObservableGauge("sparkwatch.sink.lag.events", () => SinkLags(lag => lag.Events), "{event}",
            "Accepted events a sink has not applied yet.");
        meter.CreateObservableGauge("sparkwatch.sink.lag.duration", () => SinkLags(lag => lag.Seconds), "s",
            "Age of the oldest accepted event a sink has not applied yet (0 when caught up).");
    }

    /// <summary>Counts one ingest request that ended with <paramref name="outcome"/> and <paramref name="status"/> (constant strings).</summary>
    public void Payload(IngestReceiver receiver, string outcome, string status, long wireBytes)
    {
        var tags = new TagList { { "receiver", receiver.Label }, { "outcome", outcome }, { "status", status } };
        _payloads.Add(1, tags);
        if (wireBytes <= 0) return;
        var receiverTag = new TagList { { "receiver", receiver.Label } };
        _wireBytes.Add(wireBytes, receiverTag);
        _payloadSize.Record(wireBytes, receiverTag);
    }

    /// <summary>Counts what one acknowledged payload held and how long its acknowledgement took since <paramref name="startedAt"/>.</summary>
    public void Acknowledged(IngestReceiver receiver, long startedAt, int events, int duplicates, int quarantined)
    {
        var tags = new TagList { { "receiver", receiver.Label } };
        _ackLatency.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
        if (events > 0) _events.Add(events, tags);
        if (duplicates > 0) _duplicates.Add(duplicates, tags);
        if (quarantined > 0) _quarantined.Add(quarantined, tags);
    }

    /// <summary>Records a group commit of <paramref name="payloads"/> payloads holding <paramref name="eventBytes"/> bytes of events, begun at <paramref name="startedAt"/>.</summary>
    public void Committed(long startedAt, int payloads, long eventBytes)
    {
        _commitDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
        _batchesPerCommit.Record(payloads);
        _eventBytes.Add(eventBytes);
    }

    /// <summary>Reports the writer's queue depth through <paramref name="depth"/>.</summary>
    public void ObserveWriterQueue(Func<long> depth) => _writerQueue = depth;

    /// <summary>Reports the ingest memory budget in use through <paramref name="inUse"/>.</summary>
    public void ObserveMemoryBudget(Func<long> inUse) => _memoryInUse = inUse;

    /// <summary>Reports the store's size through <paramref name="bytes"/> (null when unknown); called on every scrape, so cache inside.</summary>
    public void ObserveStoreSize(Func<long?> bytes) => _storeSize = bytes;

    /// <summary>
    /// Reports the lag of sink <paramref name="sink"/> (a <c>sink</c> label) through <paramref name="read"/>, called on
    /// every scrape: cache inside (e.g. the last <c>IAcceptedLog.LagAsync</c> result of the sink runner's loop).
    /// Registering the same sink again replaces its callback.
    /// </summary>
    public void ObserveSinkLag(string sink, Func<SinkLagReading?> read) => _sinkLags[sink] = read;

    private static Measurement<long>[] Observe(Func<long>? read) => Observe(read?.Invoke());

    private static Measurement<long>[] Observe(long? value) => value is { } v ? [new Measurement<long>(v)] : [];

    private IEnumerable<Measurement<double>> SinkLags(Func<SinkLagReading, double> value)
    {
        foreach (var (sink, read) in _sinkLags)
        {
            if (read() is { } lag) yield return new Measurement<double>(value(lag), new KeyValuePair<string, object?>("sink", sink));
        }
    }
}

/// <summary>A sink's lag as metrics show it.</summary>
/// <param name="Events">Accepted events not applied yet.</param>
/// <param name="Seconds">Age of the oldest of them, 0 when caught up.</param>
public readonly record struct SinkLagReading(long Events, double Seconds);
