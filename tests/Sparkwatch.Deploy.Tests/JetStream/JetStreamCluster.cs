using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>Collector and writer processes on one JetStream stream over one fresh PostgreSQL schema, and sink processes
/// (archive and search, sharing one archive folder) over the same schema; the last writer serves the read API too (one
/// process fewer to start).</summary>
public sealed class JetStreamCluster : IAsyncDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    public List<ServiceProcess> Collectors { get; } = [];

    public List<ServiceProcess> Writers { get; } = [];

    public List<ServiceProcess> Sinks { get; } = [];

    /// <summary>The archive folder every sink process writes to.</summary>
    public string ArchivePath => Path.Combine(_folder.Path, "archive");

    public ServiceProcess Query => Writers[^1];

    public static async Task<JetStreamCluster> StartAsync(string natsUrl, string streamName, int collectors = 2, int writers = 2, int sinks = 2)
    {
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        var cluster = new JetStreamCluster();
        try
        {
            string[][] roles = [.. Enumerable.Repeat<string[]>(["--role", "collector"], collectors), .. Enumerable.Repeat<string[]>(["--role", "writer"], writers - 1),
                ["--Sparkwatch:Roles:0=writer", "--Sparkwatch:Roles:1=query"],
                .. Enumerable.Repeat<string[]>(["--Sparkwatch:Roles:0=sink:archive", "--Sparkwatch:Roles:1=sink:search", "--Sparkwatch:Sinks:Lease=00:00:05", "--Sparkwatch:Archive:RollInterval=00:00:02", $"--Sparkwatch:Archive:Path={cluster.ArchivePath}"], sinks)];
            // All at once, as the pods of a deployment start: stream, consumer and schema set-up must take turns by themselves.
            var started = await Task.WhenAll(roles.Select((role, i) => ServiceProcess.StartAsync(Path.Combine(cluster._folder.Path, $"p{i}"), [
                .. role, "--store", "postgres", $"--Sparkwatch:Postgres:ConnectionString={connectionString}",
                "--Logging:LogLevel:Default=Warning", .. BrokerArgs.For(natsUrl, streamName)])));
            cluster.Collectors.AddRange(started[..collectors]);
            cluster.Writers.AddRange(started[collectors..(collectors + writers)]);
            cluster.Sinks.AddRange(started[(collectors + writers)..]);
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
        foreach (var process in Collectors.Concat(Writers).Concat(Sinks)) await process.DisposeAsync();
        _folder.Dispose();
    }
}
