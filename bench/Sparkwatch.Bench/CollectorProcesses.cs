namespace Sparkwatch.Bench;

/// <summary>
/// <c>--collectors N</c>: N processes with the collector role only, each appending to the shared store the server args
/// choose (PostgreSQL: collectors lock each run's row, so several write at once), as the scale-out deployment runs them.
/// The bench's main server then only serves reads and runs the sinks.
/// </summary>
internal sealed class CollectorProcesses : IAsyncDisposable
{
    private readonly List<ServerProcess> _processes = [];

    public IReadOnlyList<ServerProcess> Processes => _processes;

    /// <summary>The roles of the main server beside the collectors: reads, and the sinks unless <c>--no-sinks</c>.</summary>
    public static string[] MainServerRoles(bool sinks) => sinks ? ["--Sparkwatch:Roles:0=query", "--Sparkwatch:Roles:1=sinks"] : ["--Sparkwatch:Roles:0=query"];

    public static async Task<CollectorProcesses> StartAsync(string serverDll, string dataDir, IReadOnlyList<string> serverArgs, int count)
    {
        if (!serverArgs.Any(a => a.Contains("postgres", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"--collectors needs a store the processes share: --server-arg --store --server-arg postgres and its connection string.\n{BenchOptions.Usage}");
        }
        var collectors = new CollectorProcesses();
        try
        {
            for (var i = 0; i < count; i++)
            {
                // The data folder holds nothing of a collector over PostgreSQL; each gets its own all the same.
                collectors._processes.Add(await ServerProcess.StartAsync(serverDll, Path.Combine(dataDir, $"collector-{i}"), [.. serverArgs, "--role", "collector"]));
            }
            return collectors;
        }
        catch
        {
            await collectors.DisposeAsync();
            throw;
        }
    }

    /// <summary>Why a collector is gone, when one is; else null.</summary>
    public string? ExitReport => _processes.Select(p => p.ExitReport).FirstOrDefault(r => r is not null);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
    }
}
