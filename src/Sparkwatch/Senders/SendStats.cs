namespace Sparkwatch.Senders;

/// <summary>Thread-safe totals of what a client command sent, for its progress display and summary.</summary>
public sealed class SendStats
{
    private long _events, _payloads, _retries, _stored, _duplicates, _quarantined, _resent;

    /// <summary>Events acknowledged by the collector.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Payloads acknowledged.</summary>
    public long Payloads => Interlocked.Read(ref _payloads);

    /// <summary>Attempts that failed and were retried.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Events the collector said were new.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Messages the collector said it already had (resent after a lost answer), except <see cref="Resent"/>.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Messages sent again after a restart because their position was not saved yet, which the collector had: the expected no-op.</summary>
    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>Messages the collector kept aside as not valid events.</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Records one acknowledged payload.</summary>
    public void Acknowledged(int events, CollectorAnswer answer)
    {
        Interlocked.Add(ref _events, events);
        Interlocked.Increment(ref _payloads);
        Interlocked.Add(ref _stored, answer.EventsStored);
        Interlocked.Add(ref _duplicates, answer.Duplicates);
        Interlocked.Add(ref _quarantined, answer.Quarantined);
    }

    /// <summary>Counts <paramref name="messages"/> acknowledged duplicates as <see cref="Resent"/> instead.</summary>
    public void ResentAfterRestart(int messages)
    {
        Interlocked.Add(ref _duplicates, -messages);
        Interlocked.Add(ref _resent, messages);
    }

    /// <summary>Records one failed attempt that will be retried.</summary>
    public void Retried() => Interlocked.Increment(ref _retries);
}

/// <summary>What the collector's 200 answer said about a payload.</summary>
/// <param name="EventsStored">New events.</param>
/// <param name="Duplicates">Messages it already had.</param>
/// <param name="Quarantined">Messages kept aside.</param>
public readonly record struct CollectorAnswer(int EventsStored, int Duplicates, int Quarantined);
