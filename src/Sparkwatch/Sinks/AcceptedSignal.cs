namespace Sparkwatch.Sinks;

/// <summary>Wakes the in-process sink runners when the writer has committed new payloads, so they need not poll for them.</summary>
public sealed class AcceptedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before looking for work, so a commit in between is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Tells every waiting runner that payloads were committed.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
