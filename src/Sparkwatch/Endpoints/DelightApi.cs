using Sparkwatch.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sparkwatch.Core.Wire;
using Sparkwatch.Hosting;
using Sparkwatch.Metrics;

namespace Sparkwatch.Endpoints;

/// <summary><c>POST {prefix}/bulk|heartbeat|ack</c>: the Delight agent's endpoints (SPEC §1.2), under each configured prefix.</summary>
public static class DelightApi
{
    private enum Kind { Bulk, Heartbeat, Ack }

    /// <summary>Maps the Delight endpoints under every prefix of <c>Sparkwatch:DelightPrefixes</c>.</summary>
    public static RouteGroupBuilder MapDelightApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Ingest").RequireIngestKey().WithIngestMetrics(IngestReceiver.Delight);
        var prefixes = app.ServiceProvider.GetRequiredService<IOptions<SparkwatchOptions>>().Value.DelightPrefixes;
        // The agent strips one trailing slash off spark.delight.collector.url and appends /bulk, /heartbeat or /ack.
        foreach (var prefix in prefixes.Select(p => p.Trim('/')).Distinct(StringComparer.Ordinal))
        {
            var path = prefix.Length == 0 ? "" : "/" + prefix;
            var name = "Delight" + string.Concat(prefix.Where(char.IsLetterOrDigit));
            Map(group, path + "/bulk", Kind.Bulk, name)
                .WithSummary("Take one payload of the Delight agent")
                .WithDescription("Body (JSON, any Content-Type: the agent sends text/plain): {\"dmAppId\", \"sentAt\", \"counters\": {\"messageCounter\", \"payloadCounter\"}, \"data\"} where data is base64 of gzip of the events, one JSON per line. The job is dmAppId without its trailing -<uuid>, the run is dmAppId. Answers 200 once every event is durably stored; retries (same run and seq) are stored once. Never answers 429, which would stop the agent for good.");
            Map(group, path + "/heartbeat", Kind.Heartbeat, name)
                .WithSummary("The Delight agent says the run is alive (updates its last-seen time)")
                .WithDescription("Body: {\"dmAppId\": \"...\"}.");
            Map(group, path + "/ack", Kind.Ack, name)
                .WithSummary("The Delight agent says the run's upload is complete")
                .WithDescription("Body: {\"dmAppId\": \"...\"}. A run without its application end is then reported incomplete instead of running.");
        }
        return group;
    }

    // No .Accepts(...): its content-type check would answer 415 to the agent, which posts text/plain.
    private static RouteHandlerBuilder Map(RouteGroupBuilder group, string pattern, Kind kind, string name) =>
        group.MapPost(pattern, (HttpContext context, [AsParameters] DelightServices services) => Receive(context, services, kind))
            .WithName(name + kind)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>Services the Delight endpoints need.</summary>
    public sealed record DelightServices(DelightPayloadDecoder Decoder, IngestPipeline Pipeline);

    private static Task<Results<Ok<CollectResponse>, ProblemHttpResult>> Receive(HttpContext context, DelightServices services, Kind kind) =>
        services.Pipeline.ReceiveAsync(context, kind switch
        {
            Kind.Bulk => services.Decoder.DecodeBulkAsync,
            Kind.Heartbeat => (body, receivedAt, _, _) => ValueTask.FromResult(services.Decoder.DecodeHeartbeat(body.Span, receivedAt)),
            _ => (body, receivedAt, _, _) => ValueTask.FromResult(services.Decoder.DecodeAck(body.Span, receivedAt)),
        });
}
