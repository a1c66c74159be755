using System.Net;

namespace Sparkwatch.Deploy.Tests.ScaleOut;

/// <summary>Two collector processes and one query process over one PostgreSQL, fed the shared real traffic.</summary>
public sealed class CollectorsAndQueryOverPostgres
{
    [Fact]
    public async Task Traffic_spread_over_both_collectors_with_retries_is_stored_once_and_read_back_ordered()
    {
        await using var cluster = await Cluster.StartAsync(collectors: 2);
        var listener = new FailoverListener([.. cluster.Collectors.Select(c => c.Client)]);
        var runs = ReplayedRuns.Payloads();

        // One listener per run, all at once; payloads alternate between the collectors, every third is sent again to the other one.
        await Task.WhenAll(runs.Values.Select(async payloads =>
        {
            for (var i = 0; i < payloads.Count; i++)
            {
                await listener.SendAsync(payloads[i], first: i % 2);
                if (i % 3 == 0) await listener.SendAsync(payloads[i], first: (i + 1) % 2);
            }
        }));

        foreach (var (run, payloads) in runs)
        {
            Assert.Equal(ReplayedRuns.ExpectedEvents(payloads), await ReplayedRuns.ReadAsync(cluster.Query.Client, run));
        }
        var jobs = await cluster.Query.Client.GetStringAsync("/job");
        Assert.Contains("spark-pi", jobs);
        Assert.Contains("spark-events", jobs);
    }

    [Fact]
    public async Task Each_process_serves_only_its_role()
    {
        await using var cluster = await Cluster.StartAsync(collectors: 1);
        var payload = ReplayedRuns.Payloads().First().Value[0];

        using var onQuery = await new Testing.ListenerClient(cluster.Query.Client).PostAsync(payload);
        using var onCollector = await new Testing.ListenerClient(cluster.Collectors[0].Client).PostAsync(payload);
        using var readOnCollector = await cluster.Collectors[0].Client.GetAsync("/job");
        using var readOnQuery = await cluster.Query.Client.GetAsync("/job");

        Assert.Equal(HttpStatusCode.NotFound, onQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onCollector.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readOnCollector.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readOnQuery.StatusCode);
    }
}
