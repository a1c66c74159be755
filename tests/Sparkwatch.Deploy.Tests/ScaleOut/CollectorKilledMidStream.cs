
namespace Sparkwatch.Deploy.Tests.ScaleOut;

/// <summary>A collector dies (Process.Kill) while listeners stream through it: they carry on through the other one.</summary>
public sealed class CollectorKilledMidStream
{
    [Fact]
    public async Task No_acknowledged_event_is_lost_when_a_collector_is_killed()
    {
        await using var cluster = await Cluster.StartAsync(collectors: 2);
        var listener = new FailoverListener([.. cluster.Collectors.Select(c => c.Client)]);
        var runs = ReplayedRuns.Payloads();
        var acknowledged = runs.Keys.ToDictionary(run => run, _ => new List<string>());
        var total = runs.Values.Sum(p => p.Count);
        var sent = 0;
        var halfway = new TaskCompletionSource();

        var streams = runs.Select(async pair =>
        {
            foreach (var payload in pair.Value)
            {
                // Payloads start on the first collector, the one that is killed.
                await listener.SendAsync(payload, first: 0);
                lock (acknowledged) acknowledged[pair.Key].Add(payload);
                if (Interlocked.Increment(ref sent) == total / 2) halfway.TrySetResult();
            }
        }).ToList();
        await halfway.Task.WaitAsync(TimeSpan.FromMinutes(2));
        cluster.Collectors[0].Kill();
        await Task.WhenAll(streams);

        Assert.True(sent == total, $"{sent} of {total} payloads acknowledged");
        foreach (var (run, payloads) in acknowledged)
        {
            Assert.Equal(ReplayedRuns.ExpectedEvents(payloads), await ReplayedRuns.ReadAsync(cluster.Query.Client, run));
        }
        var killedStillAnswers = await Record.ExceptionAsync(() => cluster.Collectors[0].Client.GetAsync("/health"));
        Assert.IsType<HttpRequestException>(killedStillAnswers);
    }
}
