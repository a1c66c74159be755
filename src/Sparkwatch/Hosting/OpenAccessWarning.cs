using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Sparkwatch.Endpoints;

namespace Sparkwatch.Hosting;

/// <summary>
/// Once the server listens, warns when it listens beyond loopback while ingest or reads need no key: anyone who can
/// reach the port can then send events, or read every run (and the secrets Spark does not redact).
/// </summary>
public sealed partial class OpenAccessWarning(IHostApplicationLifetime lifetime, IServer server, IOptions<SparkwatchOptions> options,
    ILogger<OpenAccessWarning> logger) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (Warning(addresses, options.Value) is { } open) LogOpen(string.Join(", ", addresses.Where(IsBeyondLoopback)), open);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What is open to anyone who can reach <paramref name="addresses"/>, or <c>null</c> when nothing is.</summary>
    public static string? Warning(IEnumerable<string> addresses, SparkwatchOptions options)
    {
        if (!addresses.Any(IsBeyondLoopback)) return null;
        var ingestOpen = options.HasRole(ServiceRole.Collector) && !ApiKeyCheck.AnyKey(options.ApiKeys);
        var readsOpen = options.HasRole(ServiceRole.Query) && !ApiKeyCheck.AnyKey(options.ApiKeys) && !ApiKeyCheck.AnyKey(options.ReadApiKeys);
        return (ingestOpen, readsOpen) switch
        {
            (true, true) => "send events and read every run: set Sparkwatch:ApiKeys (ingest) and Sparkwatch:ReadApiKeys (reads)",
            (true, false) => "send events: set Sparkwatch:ApiKeys (ingest)",
            (false, true) => "read every run: set Sparkwatch:ReadApiKeys (reads)",
            _ => null,
        };
    }

    private static bool IsBeyondLoopback(string address)
    {
        var host = BindingAddress.Parse(address).Host.Trim('[', ']');
        return !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && !(IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sparkwatch listens beyond loopback ({Addresses}) without API keys: anyone who can reach it can {Open}, e.g. from a Kubernetes Secret (docs/deployment.md).")]
    private partial void LogOpen(string addresses, string open);
}
