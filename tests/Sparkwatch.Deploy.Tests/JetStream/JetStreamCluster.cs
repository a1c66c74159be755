using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>Collector and writer processes on one JetStream stream, and a query process, over one fresh PostgreSQL schema.</summary>
public sealed class JetStreamCluster : IAsyncDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    public List<ServiceProcess> Collectors { get; } = [];

    public List<ServiceProcess> Writers { get; } = [];

    public ServiceProcess Query { get; private set; } = null!;

    public static async Task<JetStreamCluster> StartAsync(string natsUrl, string streamName, int collectors = 2, int writers = 2)
    {
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        var cluster = new JetStreamCluster();
        try
        {
            var roles = Enumerable.Repeat("collector", collectors).Concat(Enumerable.Repeat("writer", writers)).Append("query").ToArray();
            // All at once, as the pods of a deployment start: stream, consumer and schema set-up must take turns by themselves.
            var started = await Task.WhenAll(roles.Select((role, i) => ServiceProcess.StartAsync(Path.Combine(cluster._folder.Path, $"p{i}"), [
                "--role", role, "--store", "postgres", $"--Sparkwatch:Postgres:ConnectionString={connectionString}",
                "--Logging:LogLevel:Default=Warning", .. BrokerArgs.For(natsUrl, streamName)])));
            cluster.Collectors.AddRange(started[..collectors]);
            cluster.Writers.AddRange(started[collectors..(collectors + writers)]);
            cluster.Query = started[^1];
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Collectors.Concat(Writers)) await process.DisposeAsync();
        if (Query is not null) await Query.DisposeAsync();
        _folder.Dispose();
    }
}
