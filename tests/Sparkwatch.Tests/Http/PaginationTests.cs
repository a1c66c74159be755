using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>Lists come in a documented, stable order, a page at a time.</summary>
public sealed class PaginationTests
{
    [Fact]
    public async Task Jobs_are_listed_by_name_across_pages()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var names = Enumerable.Range(0, 25).Select(i => $"job-{(i * 7) % 25:D2}").ToList();
        foreach (var name in names) await client.PostOkAsync(ListenerEnvelope.Build(name, "r", 1, Message.Event(1)));

        var listed = await new SparkwatchApi(server.Client).AllJobNamesAsync(pageSize: 4);

        Assert.Equal(names.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_across_pages()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        // Sent in a shuffled order; "newest" is the application start's own Timestamp, not arrival.
        var starts = Enumerable.Range(1, 12).Select(i => (Run: $"run-{i:D2}", Start: 1_000_000L + i * 1000)).OrderBy(r => r.Run.GetHashCode()).ToList();
        foreach (var (run, start) in starts) await client.PostOkAsync(ListenerEnvelope.Build("job", run, 1, Message.Event(start, "SparkListenerApplicationStart")));

        var listed = await new SparkwatchApi(server.Client).AllRunIdsAsync("job", pageSize: 5);

        Assert.Equal(starts.OrderByDescending(r => r.Start).Select(r => r.Run), listed);
    }

    [Fact]
    public async Task A_job_entry_counts_its_runs()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        for (var i = 0; i < 3; i++) await client.PostOkAsync(ListenerEnvelope.Build("job", $"r{i}", 1, Message.Event(1)));

        var job = (await new SparkwatchApi(server.Client).GetJsonAsync("/job")).GetProperty("jobs")[0];

        Assert.Equal(3, job.GetProperty("run_count").GetInt64());
    }
}
