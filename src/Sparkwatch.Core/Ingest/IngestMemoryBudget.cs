using System.Diagnostics;

namespace Sparkwatch.Core.Ingest;

/// <summary>The budget of payload memory refused: the client should send again later.</summary>
public sealed class ServerBusyException(string message) : Exception(message);

/// <summary>
/// A memory limiter for ingest: every buffer a request takes (its body as it arrives, the inflated body, the decoded
/// copy) is reserved here, at its real size, before it is taken, so many large payloads at once are slowed down, then
/// refused with 503, instead of growing the process until it falls over. One request always fits when nothing else
/// is in flight.
/// </summary>
public sealed class IngestMemoryBudget(long limitBytes, TimeSpan maxWait)
{
    private long _inUse;

    /// <summary>Bytes reserved right now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>Starts an empty reservation that grows as the request takes buffers.</summary>
    public Reservation Open() => new(this);

    private async Task ReserveAsync(long bytes, long alreadyHeld, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!TryReserve(bytes, alreadyHeld))
        {
            if (waited.Elapsed >= maxWait)
            {
                throw new ServerBusyException($"Sparkwatch holds {InUse} bytes of payloads in flight, the budget is {limitBytes} (Sparkwatch:Limits:MaxInFlightBytes); send again shortly.");
            }
            await Task.Delay(10, cancellationToken);
        }
    }

    private bool TryReserve(long bytes, long alreadyHeld)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _inUse);
            // A request alone in flight may exceed the budget: refusing it would block its run for ever.
            if (current - alreadyHeld > 0 && current + bytes > limitBytes) return false;
            if (Interlocked.CompareExchange(ref _inUse, current + bytes, current) == current) return true;
        }
    }

    private void Release(long bytes) => Interlocked.Add(ref _inUse, -bytes);

    /// <summary>Bytes held by one request (used by one request at a time, not thread-safe); disposing gives them back.</summary>
    public sealed class Reservation(IngestMemoryBudget budget) : IDisposable
    {
        private long _bytes;

        /// <summary>Reserves <paramref name="bytes"/> more, waiting for room up to the configured time.</summary>
        public async Task GrowAsync(long bytes, CancellationToken cancellationToken)
        {
            await budget.ReserveAsync(bytes, _bytes, cancellationToken);
            _bytes += bytes;
        }

        /// <summary>Gives back <paramref name="bytes"/> of what is held (a buffer returned before the request ends).</summary>
        public void Release(long bytes)
        {
            var released = Math.Min(bytes, _bytes);
            _bytes -= released;
            budget.Release(released);
        }

        /// <inheritdoc/>
        public void Dispose() => Release(_bytes);
    }
}
