using NATS.Client.Core;
using NATS.Client.JetStream;
using Sparkwatch.Broker;
using Sparkwatch.Testing;

namespace Sparkwatch.Bench;

/// <summary>
/// The scale-out topology as the deploy tests run it, every part its own process of the same binary: a real
/// <c>nats-server</c> (JetStream, file store), a collector (<c>--role collector</c>: decodes, publishes, answers after
/// JetStream's ack), a writer that also serves the read API (<c>writer</c> + <c>query</c>), and a sink process
/// (<c>--role sinks</c>) over the same store (what <c>--server-arg</c> chooses; PostgreSQL is what the mode is for).
/// </summary>
internal sealed class JetStreamTopology : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _parts = [];
    private NatsConnection? _nats;
    private INatsJSContext? _jetStream;

    public ServerProcess Collector { get; private set; } = null!;

    /// <summary>The writer, which serves the reads too.</summary>
    public ServerProcess Store { get; private set; } = null!;

    public ServerProcess Sinks { get; private set; } = null!;

    public static async Task<JetStreamTopology> StartAsync(string serverDll, string dataDir, IReadOnlyList<string> serverArgs)
    {
        var topology = new JetStreamTopology();
        try
        {
            var nats = await NatsServer.StartAsync();
            topology._parts.Add(nats);
            string[] broker = [.. serverArgs, "--Sparkwatch:Broker:Kind=nats", $"--Sparkwatch:Broker:Url={nats.Url}"];
            // The store's process first: it creates the schema the others check at start-up.
            topology.Store = await topology.AddAsync(ServerProcess.StartAsync(serverDll, dataDir, [.. broker, "--Sparkwatch:Roles:0=writer", "--Sparkwatch:Roles:1=query"]));
            topology.Sinks = await topology.AddAsync(ServerProcess.StartAsync(serverDll, dataDir, [.. broker, "--role", "sinks"]));
            // The collector keeps nothing of its own: an SQLite store would be an empty file of its own, only for its health check.
            topology.Collector = await topology.AddAsync(ServerProcess.StartAsync(serverDll, Path.Combine(dataDir, "collector"), [.. broker, "--role", "collector"]));
            topology._nats = new NatsConnection(new NatsOpts { Url = nats.Url, Name = "sparkwatch-bench" });
            topology._jetStream = new NatsJSContext(topology._nats);
            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    /// <summary>True once the writers' durable consumer has nothing pending or unacknowledged: every batch JetStream
    /// acknowledged to a collector is committed to the store (a writer acknowledges a batch after its commit).</summary>
    public async Task<bool> AllStoredAsync()
    {
        var defaults = new BrokerOptions();
        var consumer = await _jetStream!.GetConsumerAsync(defaults.Stream, defaults.WriterConsumer);
        return consumer.Info.NumPending == 0 && consumer.Info.NumAckPending == 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_nats is not null) await _nats.DisposeAsync();
        // Processes first, in reverse order of start, then nats-server.
        for (var i = _parts.Count - 1; i >= 0; i--) await _parts[i].DisposeAsync();
    }

    private async Task<ServerProcess> AddAsync(Task<ServerProcess> starting)
    {
        var process = await starting;
        _parts.Add(process);
        return process;
    }
}
