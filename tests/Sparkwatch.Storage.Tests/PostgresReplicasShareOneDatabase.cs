using System.Text;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Storage.Postgres;
using Sparkwatch.Testing;
using static Sparkwatch.Storage.Tests.Message;
using static Sparkwatch.Storage.Tests.Payloads;

namespace Sparkwatch.Storage.Tests;

/// <summary>Several replicas (one store each) over the same PostgreSQL database: start-up and writes at once.</summary>
public sealed class PostgresReplicasShareOneDatabase
{
    [Fact]
    public async Task Replicas_starting_at_once_migrate_the_schema_once()
    {
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresEventStore(new PostgresStoreOptions { ConnectionString = connectionString })).ToList();

        await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
        await stores[0].AppendAsync([Batch(new RunKey("j", "r"), 1, 100, Event(10, Ev("A", 1)))]);

        Assert.Equal(1, (await stores[3].GetRunAsync(new RunKey("j", "r")))!.EventCount);
        foreach (var store in stores) await store.DisposeAsync();
    }

    [Fact]
    public async Task Replicas_writing_the_same_runs_at_once_store_each_message_once()
    {
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        await using var first = new PostgresEventStore(new PostgresStoreOptions { ConnectionString = connectionString });
        await using var second = new PostgresEventStore(new PostgresStoreOptions { ConnectionString = connectionString });
        await first.InitializeAsync();
        await second.InitializeAsync();
        var runs = new[] { new RunKey("job-a", "r1"), new RunKey("job-b", "r1"), new RunKey("job-a", "r2") };
        // Payload n of every run carries messages 1..n (a listener rebuilding retries), sent to both replicas in opposite run orders.
        IReadOnlyList<IngestBatch> Group(int n, bool reversed) =>
            [.. (reversed ? runs.Reverse() : runs).Select(run => Batch(run, n, 100, [.. Enumerable.Range(1, n).Select(i => Event(i, Ev("T" + (i % 3), i)))]))];

        var writes = Enumerable.Range(1, 20).SelectMany(n => new[] { first.AppendAsync(Group(n, false)), second.AppendAsync(Group(n, true)) });
        var results = await Task.WhenAll(writes);

        Assert.Equal(runs.Length * 20, results.SelectMany(r => r).Sum(r => r.EventsStored));
        foreach (var run in runs)
        {
            var events = new List<string>();
            await foreach (var e in first.ReadEventsAsync(run)) events.Add(Encoding.UTF8.GetString(e.Span));
            Assert.Equal(Enumerable.Range(1, 20).Select(i => Ev("T" + (i % 3), i)), events);
            Assert.Equal(20, (await second.GetRunAsync(run))!.EventCount);
        }
        Assert.Equal(2, (await second.ListJobsAsync(null, 10)).Single(j => j.JobName == "job-a").RunCount);
    }
}
