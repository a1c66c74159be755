using Sparkwatch.Core.Ingest;
using Sparkwatch.Endpoints;

namespace Sparkwatch.Ingestion;

/// <summary>The embedded path: the batch is committed to the store by the group-commit <see cref="IngestWriter"/>.</summary>
public sealed class StoreBatchTarget(IngestWriter writer) : IAcceptedBatchTarget
{
    /// <inheritdoc/>
    public async Task<CollectResponse> AcceptAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            var result = await writer.WriteAsync(batch, cancellationToken);
            return new CollectResponse(result.EventsStored, result.Duplicates, result.Quarantined, batch.HeartbeatCount);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BatchNotAcceptedException(ProblemTypes.StoreUnavailable, "Store unavailable",
                $"The payload could not be stored ({e.Message}); nothing of it was acknowledged, send it again.", retryAfterSeconds: 5, e);
        }
    }
}
