using System.Net;
using System.Text;
using CsCheck;

namespace Sparkwatch.Fuzz.Tests;

[CollectionDefinition(nameof(FuzzedTrafficMemoryTests), DisableParallelization = true)]
public sealed class MemoryMeasuredAlone;

/// <summary>
/// Damaged payloads and gzip bombs sent four at a time to both receivers keep the process's memory within the
/// configured budget plus a stated constant, and a well-behaved payload is still served afterwards (issue 8 §3, §5).
/// Runs alone (no other test class in parallel), since it measures the whole process.
/// </summary>
[Collection(nameof(FuzzedTrafficMemoryTests))]
public sealed class FuzzedTrafficMemoryTests
{
    private const long BudgetBytes = 64L << 20;
    private const long InflatedLimitBytes = 32L << 20;

    /// <summary>What the process may hold beyond the budget: the runtime, the server and this test's own inputs.</summary>
    private const long ConstantBytes = 192L << 20;

    /// <summary>A body inflating to 48 MiB, past the limit: compressed once, sent many times.</summary>
    private static readonly Lazy<byte[]> ListenerBomb = new(() => Values.Gzip(Encoding.UTF8.GetBytes(
        $"{{\"job_name\":\"bomb\",\"run_id\":\"bomb\",\"messages\":[{{\"generated_at\":1,\"message_type\":\"spark-event\",\"content\":\"{new string(' ', 48 << 20)}\"}}]}}")));

    private static readonly Lazy<byte[]> DelightBomb = new(() => Encoding.UTF8.GetBytes(
        $"{{\"dmAppId\":\"bomb-{Guid.Empty}\",\"sentAt\":1,\"data\":\"{Convert.ToBase64String(Values.Gzip(new byte[48 << 20]))}\"}}"));

    [Fact]
    public async Task Damaged_payloads_and_gzip_bombs_keep_memory_within_the_budget_plus_a_constant()
    {
        await using var server = await FuzzServer.StartAsync(
            $"--Sparkwatch:Limits:MaxInFlightBytes={BudgetBytes}", $"--Sparkwatch:Limits:MaxInflatedBytes={InflatedLimitBytes}");
        _ = (ListenerBomb.Value, DelightBomb.Value);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var baseline = Environment.WorkingSet;
        using var sampler = new PeakSampler();

        var listener = ListenerCases.With(Gen.OneOf(ListenerCases.Envelope, ListenerCases.OneMessage, Values.BodyBytes, Values.GzipBytes))
            .Select(c => new Request(c.ToString(), () => server.Listener.PostBytesAsync(c.Body, c.Gzip)));
        var delight = DelightCases.With(Gen.OneOf(DelightCases.Envelope, DelightCases.OneLine))
            .Select(c => new Request(c.ToString(), () => server.Delight.PostAsync(c.Body)));
        var bombs = Gen.OneOf(
            new Request("listener gzip bomb", () => server.Listener.PostBytesAsync(ListenerBomb.Value, gzip: true)),
            new Request("Delight gzip bomb", () => server.Delight.PostAsync(DelightBomb.Value)));
        var requests = Gen.OneOf(listener, delight, bombs).Array[4];

        await Property.CheckAsync(requests, async batch =>
        {
            // Answers are other properties' business (MutatedListenerPayloadsTests...); this one is about memory.
            foreach (var response in await Task.WhenAll(batch.Select(request => request.Send()))) response.Dispose();
        }, costPerSample: 5);

        var growth = sampler.Peak - baseline;
        Assert.True(growth < BudgetBytes + ConstantBytes,
            $"the working set grew by {growth >> 20} MiB, more than the budget ({BudgetBytes >> 20} MiB) plus {ConstantBytes >> 20} MiB");
        using var served = await server.Listener.PostAsync(Sparkwatch.Testing.ListenerEnvelope.Build("after", "bombs", 1, Sparkwatch.Testing.Message.Event(1)));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    private sealed record Request(string Description, Func<Task<HttpResponseMessage>> Send)
    {
        public override string ToString() => Description;
    }

    /// <summary>Samples the process's working set every few milliseconds and keeps the highest.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peak;

        public PeakSampler() => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                InterlockedMax(Environment.WorkingSet);
                try { await Task.Delay(5, _stop.Token); }
                catch (OperationCanceledException) { }
            }
        });

        public long Peak => Interlocked.Read(ref _peak);

        private void InterlockedMax(long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, value, seen) != seen) { }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }
}
