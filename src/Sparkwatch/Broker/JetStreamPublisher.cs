using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
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
    private static readonly Counter<long> TooLargeCount = JetStreamBroker.Meter.CreateCounter<long>("sparkwatch.broker.payloads_too_large");

    /// <summary>JetStream's error code for a message over the stream's (or account's) maximum message size.</summary>
    private const int MessageSizeExceedsStreamLimit = 10054;
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
        catch (NatsPayloadTooLargeException)
        {
            // The client refuses, before sending, what the server would refuse (and close the connection for): a setting, not an outage.
            throw TooLarge(batch, message.Length, $"the NATS server's max_payload of {broker.MaxPayload:N0} bytes");
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == MessageSizeExceedsStreamLimit)
        {
            throw TooLarge(batch, message.Length, $"the max_msg_size of stream {_options.Stream} ({e.Error.Description})");
        }
        catch (Exception e) when (e is not PayloadTooLargeException && !cancellationToken.IsCancellationRequested)
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

    /// <summary>
    /// A batch larger than one JetStream message may be: refused for good (413), since sending it again cannot help.
    /// It is not split, because a payload is the unit of the store's exactly-once rules (docs/deployment.md).
    /// </summary>
    private PayloadTooLargeException TooLarge(IngestBatch batch, int messageBytes, string limit)
    {
        TooLargeCount.Add(1);
        var detail = $"The payload's accepted batch is {messageBytes:N0} bytes as a JetStream message (zstd-compressed), over {limit}. " +
            "Raise max_payload in the nats-server configuration (e.g. 'max_payload: 8MB'; NATS allows up to 64MB) and any max_msg_size of the stream, " +
            "or send fewer messages per payload. Sending it again as it is cannot succeed.";
        logger.LogError("A payload of {Run} is refused with 413: {Detail}", batch.Run, detail);
        return new PayloadTooLargeException(detail);
    }
}
