using Sparkwatch.Endpoints;
using Sparkwatch.Hosting;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Broker;

/// <summary>Registers the ingest side of the configured roles: who accepts payloads, and who writes them to the store.</summary>
public static class BrokerServiceExtensions
{
    /// <summary>
    /// Without a broker, the collector commits what it accepts (<see cref="StoreBatchTarget"/>). With <c>nats</c>, the
    /// collector publishes to JetStream and only the writer role touches the store's append path.
    /// </summary>
    public static IHostApplicationBuilder AddIngestRoles(this IHostApplicationBuilder builder, SparkwatchOptions options)
    {
        var services = builder.Services;
        var viaBroker = options.Broker.Kind == BrokerKind.Nats;
        var collector = options.HasRole(ServiceRole.Collector);
        var writer = viaBroker && options.HasRole(ServiceRole.Writer);
        if (collector || writer)
        {
            if (!viaBroker || writer)
            {
                services.AddSingleton<IngestWriter>();
                services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
            }
            if (viaBroker) services.AddSingleton<JetStreamBroker>();
        }
        if (collector)
        {
            services.AddSingleton<IngestPipeline>();
            if (viaBroker)
            {
                services.AddSingleton<IAcceptedBatchTarget, JetStreamPublisher>();
                services.AddHostedService<JetStreamSetUp>();
                services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [HealthApi.ReadyTag]);
            }
            else
            {
                services.AddSingleton<IAcceptedBatchTarget, StoreBatchTarget>();
            }
        }
        if (writer) services.AddHostedService<JetStreamWriter>();
        return builder;
    }
}
