namespace Sparkwatch.Sinks;

/// <summary>Wakes the in-process sink runners when the writer has committed new payloads, so they need not poll for them.</summary>
public sealed class AcceptedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastCommitTicks = long.MinValue / 2;

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before looking for work, so a commit in between is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Tells every waiting runner that payloads were committed.</summary>
    public void Notify()
    {
        Volatile.Write(ref _lastCommitTicks, Environment.TickCount64);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>True when this process committed payloads within <paramref name="period"/>: ingest is busy.</summary>
    public bool CommittedWithin(TimeSpan period) => Environment.TickCount64 - Volatile.Read(ref _lastCommitTicks) < period.TotalMilliseconds;
}
