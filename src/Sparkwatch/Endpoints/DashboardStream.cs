using Sparkwatch.Core.Ingest;
using Sparkwatch.Sinks;
using static Sparkwatch.Endpoints.JobsApi;

namespace Sparkwatch.Endpoints;

/// <summary>
/// The dashboard's live updates: one server-sent-events stream per open page. It waits on <see cref="AcceptedSignal"/>
/// (pulsed after every commit) and sends a small <c>changed</c> event, at most once per <see cref="MinGap"/>; the page
/// then fetches its document again. A stream holds no buffer of its own, and at most <see cref="MaxStreams"/> are open.
/// </summary>
internal sealed class DashboardStream(AcceptedSignal signal, IHostApplicationLifetime lifetime)
{
    public const int MaxStreams = 64;
    public static readonly TimeSpan MinGap = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private int _open;

    public async Task<IResult?> RunAsync(HttpContext context, ReadServices services, string? jobName, string? runId)
    {
        if (Interlocked.Increment(ref _open) > MaxStreams)
        {
            Interlocked.Decrement(ref _open);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, ProblemTypes.ServerBusy, "Too many live pages",
                $"At most {MaxStreams} dashboard pages can follow live updates at once; reload later.");
        }
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            await response.WriteAsync("retry: 3000\n\n", stop.Token);
            await response.Body.FlushAsync(stop.Token);
            var seen = await StateAsync(services, jobName, runId, stop.Token);
            while (!stop.IsCancellationRequested)
            {
                var next = signal.Next;
                var woke = await Task.WhenAny(next, Task.Delay(KeepAlive, stop.Token)) == next;
                if (!woke)
                {
                    await response.WriteAsync(": keep-alive\n\n", stop.Token);
                    await response.Body.FlushAsync(stop.Token);
                    continue;
                }
                // Commits come in bursts: gather them for a moment, then look once.
                await Task.Delay(MinGap, stop.Token);
                var state = await StateAsync(services, jobName, runId, stop.Token);
                if (state == seen) continue;
                seen = state;
                await response.WriteAsync($"event: changed\ndata: {{\"state\":\"{state}\"}}\n\n", stop.Token);
                await response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed or the server is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
        return null;
    }

    /// <summary>What the page depends on: the run's event count and time heard, or for the jobs page any commit at all.</summary>
    private static async Task<string> StateAsync(ReadServices services, string? jobName, string? runId, CancellationToken ct)
    {
        if (jobName is null || runId is null) return Guid.NewGuid().ToString("N");
        var facts = await services.Store.GetRunAsync(new RunKey(jobName, runId), ct);
        return facts is null ? "none" : $"{facts.EventCount}-{facts.LastSeenAt}";
    }
}
