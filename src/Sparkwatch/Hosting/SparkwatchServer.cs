using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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

    /// <summary>
    /// Builds the server from <paramref name="args"/> (e.g. <c>--listen http://127.0.0.1:0 --data-dir /tmp/x</c>) and the
    /// usual settings sources (<see cref="SparkwatchConfiguration"/>).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static SparkwatchServer Create(string[] args)
    {
        var builder = NewBuilder(args);
        var options = SparkwatchConfiguration.ReadOptions(builder.Configuration);
        return Build(builder, options, ListenAddresses.IsListenGiven(builder.Configuration));
    }

    /// <summary>
    /// Builds the server from settings made in code (tests, benchmarks, a host embedding Sparkwatch). The options are
    /// the settings; <paramref name="args"/> may still carry host settings such as <c>--urls</c> or <c>--Logging:…</c>.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static SparkwatchServer Create(SparkwatchOptions options, params string[] args) =>
        Build(NewBuilder(args), SparkwatchOptionsValidator.Check(options), listenGiven: true);

    private static WebApplicationBuilder NewBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddSparkwatchSources(args);
        return builder;
    }

    private static SparkwatchServer Build(WebApplicationBuilder builder, SparkwatchOptions options, bool listenGiven)
    {
        builder.AddSparkwatchServices(options);
        if (ListenAddresses.Resolve(builder.Configuration, options, listenGiven) is { } addresses) builder.WebHost.UseUrls(addresses);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;
            // Twice the limit in force, so that RawTargetGuard answers an over-long line with a problem body.
            kestrel.Limits.MaxRequestLineSize = 2 * Endpoints.RawTargetGuard.LineLimit(options.Limits);
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
