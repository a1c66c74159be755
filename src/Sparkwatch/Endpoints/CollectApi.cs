using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Hosting;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Endpoints;

/// <summary><c>POST /collect</c>: the Data Mechanics listener's endpoint (SPEC §1.1).</summary>
public static class CollectApi
{
    /// <summary>Maps the ingest endpoint of the listener.</summary>
    public static RouteGroupBuilder MapCollectApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Ingest");
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
    public sealed record CollectServices(ListenerPayloadDecoder Decoder, IngestWriter Writer, IOptions<SparkwatchOptions> Options, TimeProvider Clock);

    private static async Task<Results<Ok<CollectResponse>, ProblemHttpResult>> Collect(HttpContext context, [AsParameters] CollectServices services)
    {
        var options = services.Options.Value;
        if (IngestRequests.RejectApiKey(context, options) is { } unauthorized) return unauthorized;
        IngestBatch batch;
        try
        {
            using var body = await RequestBodyReader.ReadAsync(context.Request, options.Limits, context.RequestAborted);
            batch = services.Decoder.Decode(body.Span, services.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Exception e) when (IngestRequests.AsProblem(e) is { } problem)
        {
            return problem;
        }
        using (batch)
        {
            var result = await services.Writer.WriteAsync(batch, context.RequestAborted);
            return TypedResults.Ok(new CollectResponse(result.EventsStored, result.Duplicates, result.Quarantined, batch.HeartbeatCount));
        }
    }

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

/// <summary>What every ingest endpoint shares: the API-key check and the mapping of decode failures to problems.</summary>
public static class IngestRequests
{
    /// <summary>401 when API keys are configured and the request's <c>X-API-key</c> is not one of them.</summary>
    public static ProblemHttpResult? RejectApiKey(HttpContext context, SparkwatchOptions options)
    {
        if (options.ApiKeys.Length == 0) return null;
        var key = context.Request.Headers["X-API-key"].ToString();
        return options.ApiKeys.Contains(key, StringComparer.Ordinal)
            ? null
            : Problems.Of(StatusCodes.Status401Unauthorized, ProblemTypes.InvalidApiKey, "Invalid API key",
                "The X-API-key header is missing or is not one of the keys configured in Sparkwatch:ApiKeys (spark.datamechanics.apiKey.secret on the listener's side).");
    }

    /// <summary>The problem answer for a failure to read or decode a body, or <c>null</c> for an unexpected error.</summary>
    public static ProblemHttpResult? AsProblem(Exception error) => error switch
    {
        EnvelopeException e => Problems.Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidPayload, "Invalid payload", e.Message),
        BodyTooLargeException e => Problems.Of(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large", e.Message),
        PayloadTooLargeException e => Problems.Of(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large", e.Message),
        _ => null,
    };
}
