using Sparkwatch.Core.Ingest;
using Sparkwatch.Endpoints;

namespace Sparkwatch.Ingestion;

/// <summary>
/// Where the collector hands a batch it accepted (decoded, validated, redacted): the local store writer
/// (<see cref="StoreBatchTarget"/>) or the broker (<see cref="Broker.JetStreamPublisher"/>). The task completes once
/// the batch is durable there; the answer says what is true at that point.
/// </summary>
public interface IAcceptedBatchTarget
{
    /// <summary>Makes <paramref name="batch"/> durable; completes with the client's answer.</summary>
    /// <exception cref="BatchNotAcceptedException">Nothing of the batch was taken; the client should send it again.</exception>
    /// <exception cref="PayloadTooLargeException">The batch is over the target's size limit; nothing of it was taken, and a retry cannot succeed.</exception>
    Task<CollectResponse> AcceptAsync(IngestBatch batch, CancellationToken cancellationToken);
}

/// <summary>The target could not make a batch durable; nothing of it was acknowledged (answered 503 with Retry-After).</summary>
/// <param name="problemType">The problem type of the answer (<see cref="ProblemTypes"/>).</param>
/// <param name="title">The problem's title.</param>
/// <param name="detail">What happened and what the client should do.</param>
/// <param name="retryAfterSeconds">The answer's <c>Retry-After</c>.</param>
/// <param name="inner">The cause.</param>
public sealed class BatchNotAcceptedException(string problemType, string title, string detail, int retryAfterSeconds, Exception? inner = null)
    : Exception(detail, inner)
{
    /// <summary>The problem type of the answer.</summary>
    public string ProblemType { get; } = problemType;

    /// <summary>The problem's title.</summary>
    public string Title { get; } = title;

    /// <summary>The answer's <c>Retry-After</c>, in seconds.</summary>
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
