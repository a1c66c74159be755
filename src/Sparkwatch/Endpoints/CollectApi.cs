using Sparkwatch.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Metrics;

namespace Sparkwatch.Endpoints;

/// <summary><c>POST /collect</c>: the Data Mechanics listener's endpoint (SPEC §1.1).</summary>
public static class CollectApi
{
    /// <summary>Maps the ingest endpoint of the listener.</summary>
    public static RouteGroupBuilder MapCollectApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Ingest").RequireIngestKey().WithIngestMetrics(IngestReceiver.Listener);
        group.MapPost("/collect", Collect)
            .WithName("Collect")
            .WithSummary("Take one payload of the Data Mechanics Spark listener")
            .WithDescription("Body: the listener's envelope (job_name, run_id, counters, messages), gzip-compressed with Content-Encoding: gzip, or plain JSON. Answers 200 once every message is durably stored; retried messages (same run and seq) are stored once.")
            .Accepts<ListenerEnvelopeDoc>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    /// <summary>Services the collect endpoint needs.</summary>
    public sealed record CollectServices(ListenerPayloadDecoder Decoder, IngestPipeline Pipeline);

    private static Task<Results<Ok<CollectResponse>, ProblemHttpResult>> Collect(HttpContext context, [AsParameters] CollectServices services) =>
        services.Pipeline.ReceiveAsync(context, async (body, receivedAt, reservation, cancellationToken) =>
        {
            // The decoder unescapes every message into an arena as large as the body: reserve it before it is taken.
            await reservation.GrowAsync(PooledBuffer.CostOf(body.Length), cancellationToken);
            return services.Decoder.Decode(body.Span, receivedAt);
        });

    /// <summary>The listener's envelope, for the API description only (the endpoint reads the body itself).</summary>
    /// <param name="JobName">The job name.</param>
    /// <param name="RunId">The run id.</param>
    /// <param name="SentAt">When the payload was sent (epoch ms).</param>
    /// <param name="Counters">Running totals of the run's stream.</param>
    /// <param name="Messages">Events and heartbeats.</param>
    public sealed record ListenerEnvelopeDoc(string JobName, string RunId, long SentAt, CountersDoc Counters, IReadOnlyList<MessageDoc> Messages);

    /// <summary>The listener's counters.</summary>
    /// <param name="MessageCounter">Messages sent for the run so far, this payload included.</param>
    /// <param name="PayloadCounter">Number of this payload in the run, from 1.</param>
    public sealed record CountersDoc(long MessageCounter, long PayloadCounter);

    /// <summary>One message of the listener.</summary>
    /// <param name="GeneratedAt">When the listener saw it (epoch ms).</param>
    /// <param name="MessageType"><c>spark-event</c> or <c>heartbeat</c>.</param>
    /// <param name="Content">The Spark event serialised as a JSON string; empty for heartbeats.</param>
    public sealed record MessageDoc(long GeneratedAt, string MessageType, string Content);
}
