using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Sparkwatch.Storage;

namespace Sparkwatch.Hosting;

/// <summary>
/// The service as a library: built from command-line style arguments, so the executable, the tests and the benchmark
/// start the very same server in-process.
/// </summary>
public sealed class SparkwatchServer : IAsyncDisposable
{
    private SparkwatchServer(WebApplication app) => App = app;

    /// <summary>The ASP.NET Core application.</summary>
    public WebApplication App { get; }

    /// <summary>The addresses the server listens on, once started (with the real port when 0 was asked for).</summary>
    public IReadOnlyCollection<string> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>Builds the server from <paramref name="args"/> (e.g. <c>--listen http://127.0.0.1:0 --data-dir /tmp/x</c>).</summary>
    public static SparkwatchServer Create(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile("appsettings.json", optional: true);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args, SparkwatchServiceExtensions.CommandLineSwitches);
        builder.AddSparkwatchServices();
        var options = builder.Configuration.GetSection(SparkwatchOptions.Section).Get<SparkwatchOptions>() ?? new SparkwatchOptions();
        builder.WebHost.UseUrls(options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;
            kestrel.Limits.MaxRequestLineSize = options.Limits.MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(32 * 1024, options.Limits.MaxRequestLineBytes);
            kestrel.Limits.MinRequestBodyDataRate = options.Limits.MinBodyBytesPerSecond > 0 ? new(options.Limits.MinBodyBytesPerSecond, options.Limits.MinBodyRateGracePeriod) : null;
        });
        var app = builder.Build();
        app.MapSparkwatchApi();
        return new SparkwatchServer(app);
    }

    /// <summary>Opens (creating or migrating) the store, then starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _ = App.Services.GetRequiredService<IOptions<SparkwatchOptions>>().Value;
        await App.Services.GetRequiredService<IEventStore>().InitializeAsync(cancellationToken);
        await App.StartAsync(cancellationToken);
    }

    /// <summary>Runs until the process is asked to stop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        await App.WaitForShutdownAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
