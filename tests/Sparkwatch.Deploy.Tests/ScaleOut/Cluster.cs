using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.ScaleOut;

/// <summary>Collector processes and a query process over one fresh schema of the private PostgreSQL.</summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    public List<ServiceProcess> Collectors { get; } = [];

    public ServiceProcess Query { get; private set; } = null!;

    public static async Task<Cluster> StartAsync(int collectors)
    {
        var connectionString = await (await PrivatePostgres.InstanceAsync()).NewSchemaAsync();
        var cluster = new Cluster();
        try
        {
            // All at once, as replicas of a Deployment start: the schema migration must take turns by itself.
            var started = await Task.WhenAll(Enumerable.Range(0, collectors + 1)
                .Select(i => ServiceProcess.StartAsync(Path.Combine(cluster._folder.Path, $"p{i}"), "--role", i < collectors ? "collector" : "query",
                    "--store", "postgres", $"--Sparkwatch:Postgres:ConnectionString={connectionString}", "--Logging:LogLevel:Default=Warning")));
            cluster.Collectors.AddRange(started[..collectors]);
            cluster.Query = started[collectors];
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
        foreach (var process in Collectors) await process.DisposeAsync();
        if (Query is not null) await Query.DisposeAsync();
        _folder.Dispose();
    }
}
