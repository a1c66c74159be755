using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Metrics;

/// <summary>Registers the service's metrics and serves them at <c>GET /metrics</c> in Prometheus' text format.</summary>
public static class MetricsEndpoint
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>ASP.NET Core's, Kestrel's and the .NET runtime's own meters, exported beside <see cref="SparkwatchMetrics.MeterName"/>.</summary>
    private static readonly string[] PlatformMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    /// <summary>Adds <see cref="SparkwatchMetrics"/> (always: recording without an exporter costs nothing) and, when
    /// <c>Sparkwatch:Metrics:Enabled</c>, the OpenTelemetry Prometheus exporter.</summary>
    public static IHostApplicationBuilder AddSparkwatchMetrics(this IHostApplicationBuilder builder, SparkwatchOptions options)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<SparkwatchMetrics>();
        builder.Services.AddSingleton(sp => new StoreSizeProbe(options, sp.GetRequiredService<ILogger<StoreSizeProbe>>()));
        if (!options.Metrics.Enabled) return builder;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([SparkwatchMetrics.MeterName, Broker.JetStreamBroker.Meter.Name, .. PlatformMeters])
            // No scrape cache: a scrape sees every payload acknowledged before it (Prometheus scrapes every 15 s or so).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>Connects the gauges to what they read and maps <see cref="Path"/> (read keys, unless <c>Sparkwatch:Metrics:AllowAnonymous</c>).</summary>
    public static WebApplication MapSparkwatchMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Metrics;
        var metrics = app.Services.GetRequiredService<SparkwatchMetrics>();
        if (app.Services.GetService<IngestWriter>() is { } writer) metrics.ObserveWriterQueue(() => writer.QueueDepth);
        var budget = app.Services.GetRequiredService<IngestMemoryBudget>();
        metrics.ObserveMemoryBudget(() => budget.InUse);
        metrics.ObserveStoreSize(app.Services.GetRequiredService<StoreSizeProbe>().Bytes);
        if (!options.Enabled) return app;
        var endpoint = app.MapPrometheusScrapingEndpoint(Path);
        if (options.AllowAnonymous) endpoint.AllowAnonymous();
        return app;
    }
}
