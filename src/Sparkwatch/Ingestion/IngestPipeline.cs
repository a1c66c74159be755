using Sparkwatch.Endpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;

namespace Sparkwatch.Ingestion;

/// <summary>
/// What every ingest endpoint does, whatever the client (the API key is checked before, by <see cref="ApiKeyCheck"/>): read the body within the size limits
/// and the memory budget, decode it into an <see cref="IngestBatch"/>, make it durable (<see cref="IAcceptedBatchTarget"/>), answer — or say why not.
/// </summary>
public sealed class IngestPipeline(IAcceptedBatchTarget target, IngestMemoryBudget budget, IOptions<SparkwatchOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Decodes a body received at the given server time (epoch ms); buffers the decoder takes beyond the body are
    /// reserved in <paramref name="reservation"/> before they are taken.
    /// </summary>
    public delegate ValueTask<IngestBatch> Decoder(PooledBuffer body, long receivedAt, IngestMemoryBudget.Reservation reservation,
        CancellationToken cancellationToken);

    /// <summary>Runs the request through the pipeline; the answer counts what the decoded batch holds.</summary>
    public async Task<Results<Ok<CollectResponse>, ProblemHttpResult>> ReceiveAsync(HttpContext context, Decoder decode)
    {
        // Every buffer of the request (body, inflated body, decoded batch) is reserved here and given back after the commit.
        using var reservation = budget.Open();
        PooledBuffer body;
        try
        {
            body = await RequestBodyReader.ReadAsync(context.Request, options.Value.Limits, reservation, context.RequestAborted);
        }
        catch (Exception e) when (AsProblem(e, context) is { } problem)
        {
            return problem;
        }
        using (body)
        {
            IngestBatch batch;
            try
            {
                batch = await decode(body, clock.GetUtcNow().ToUnixTimeMilliseconds(), reservation, context.RequestAborted);
            }
            catch (Exception e) when (AsProblem(e, context) is { } problem)
            {
                return problem;
            }
            using (batch)
            {
                return await StoreAsync(context, batch);
            }
        }
    }

    private async Task<Results<Ok<CollectResponse>, ProblemHttpResult>> StoreAsync(HttpContext context, IngestBatch batch)
    {
        try
        {
            return TypedResults.Ok(await target.AcceptAsync(batch, context.RequestAborted));
        }
        catch (BatchNotAcceptedException e)
        {
            // Nothing of the payload was acknowledged: the client keeps it and sends it again.
            context.Response.Headers.RetryAfter = e.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, e.ProblemType, e.Title, e.Message);
        }
        catch (PayloadTooLargeException e) when (AsProblem(e, context) is { } problem)
        {
            // Over the target's own limit (the largest JetStream message): 413, a retry cannot succeed.
            return problem;
        }
    }

    private static ProblemHttpResult? AsProblem(Exception error, HttpContext context)
    {
        switch (error)
        {
            case EnvelopeException e:
                return Problems.Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidPayload, "Invalid payload", e.Message);
            case PayloadTooLargeException:
                return Problems.Of(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large", error.Message);
            case ServerBusyException:
                context.Response.Headers.RetryAfter = "1";
                return Problems.Of(StatusCodes.Status503ServiceUnavailable, ProblemTypes.ServerBusy, "Server busy", error.Message);
            default:
                return null;
        }
    }
}
