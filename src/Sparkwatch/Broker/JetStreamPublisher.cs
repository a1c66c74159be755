using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Endpoints;
using Sparkwatch.Hosting;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Broker;

/// <summary>
/// The collector's target with <c>Broker:Kind=nats</c>: each accepted batch becomes one JetStream message
/// (<see cref="BatchCodec"/>), its content hash the <c>Nats-Msg-Id</c>, so a quick retry is dropped by JetStream's
/// duplicate window (a later one by the writer's store). The client gets its 200 only after JetStream's ack.
/// </summary>
public sealed class JetStreamPublisher(JetStreamBroker broker, IOptions<SparkwatchOptions> options, ILogger<JetStreamPublisher> logger) : IAcceptedBatchTarget
{
    private static readonly Counter<long> Published = JetStreamBroker.Meter.CreateCounter<long>("sparkwatch.broker.batches_published");
    private static readonly Counter<long> Refused = JetStreamBroker.Meter.CreateCounter<long>("sparkwatch.broker.publish_failures");
    private readonly BrokerOptions _options = options.Value.Broker;

    /// <inheritdoc/>
    public async Task<CollectResponse> AcceptAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var (message, id) = BatchCodec.Encode(batch);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            var jetStream = await broker.JetStreamAsync(timeout.Token);
            var ack = await jetStream.PublishAsync(_options.BatchSubject, message, opts: new NatsJSPubOpts { MsgId = id }, cancellationToken: timeout.Token);
            ack.EnsureSuccess();
            Published.Add(1);
        }
        catch (NatsJSDuplicateMessageException)
        {
            // The stream holds this very batch already (a retry within the duplicate window): it is durable.
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            broker.Reset();
            Refused.Add(1);
            logger.LogWarning("Publishing a payload of {Run} to JetStream at {Url} failed: {Error}", batch.Run, _options.Url, e.Message);
            var why = e is OperationCanceledException ? $"no acknowledgement within {_options.PublishTimeout.TotalSeconds:0.#} s" : e.Message;
            throw new BatchNotAcceptedException(ProblemTypes.BrokerUnavailable, "Broker unavailable",
                $"The payload could not be made durable in JetStream ({why}); nothing of it was acknowledged, send it again.", _options.RetryAfterSeconds, e);
        }
        return new CollectResponse(EventsStored: null, Duplicates: null, batch.Quarantined.Count, batch.HeartbeatCount, EventsAccepted: batch.Events.Count);
    }
}
