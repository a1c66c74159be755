using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Sparkwatch.Hosting;

namespace Sparkwatch.Broker;

/// <summary>
/// The process's one connection to NATS and the JetStream objects Sparkwatch uses: the stream of accepted batches and
/// the writers' durable consumer, created or updated on first use (idempotent: several processes may do it at once),
/// and again after a failure (the stream may have been deleted, the server replaced).
/// </summary>
public sealed class JetStreamBroker(IOptions<SparkwatchOptions> options, ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>Counters of the JetStream transport (meter <c>Sparkwatch.Broker</c>).</summary>
    public static readonly Meter Meter = new("Sparkwatch.Broker");

    private readonly BrokerOptions _options = options.Value.Broker;
    private readonly ILogger _logger = loggers.CreateLogger<JetStreamBroker>();
    private readonly SemaphoreSlim _setUp = new(1, 1);
    private NatsConnection? _connection;
    private NatsJSContext? _jetStream;
    private volatile bool _streamReady;

    /// <summary>The JetStream context, the stream created or updated once.</summary>
    public async Task<NatsJSContext> JetStreamAsync(CancellationToken cancellationToken)
    {
        if (_streamReady) return _jetStream!;
        await _setUp.WaitAsync(cancellationToken);
        try
        {
            if (_streamReady) return _jetStream!;
            _connection ??= new NatsConnection(new NatsOpts
            {
                Url = _options.Url,
                Name = "sparkwatch",
                LoggerFactory = loggers,
                // While the connection is lost, a publish fails after the request timeout instead of waiting in the client.
                PublishTimeoutOnDisconnected = true,
                // Back after a broker restart within a second or so (the client's default starts at 2 s).
                ReconnectWaitMin = TimeSpan.FromMilliseconds(200),
                ReconnectWaitMax = TimeSpan.FromSeconds(2),
            });
            _jetStream ??= new NatsJSContext(_connection);
            var stream = await _jetStream.CreateOrUpdateStreamAsync(new StreamConfig(_options.Stream, [_options.Subject + ".>"])
            {
                Storage = StreamConfigStorage.File,
                Retention = StreamConfigRetention.Limits,
                Discard = StreamConfigDiscard.Old,
                NumReplicas = _options.Replicas,
                MaxAge = _options.MaxAge,
                MaxBytes = _options.MaxBytes > 0 ? _options.MaxBytes : -1,
                DuplicateWindow = _options.DuplicateWindow,
            }, cancellationToken);
            _logger.LogInformation("JetStream stream {Stream} ready at {Url} ({Messages} batches held)", _options.Stream, _options.Url, stream.Info.State.Messages);
            _streamReady = true;
            return _jetStream;
        }
        finally
        {
            _setUp.Release();
        }
    }

    /// <summary>The writers' durable pull consumer, created or updated.</summary>
    public async Task<INatsJSConsumer> WriterConsumerAsync(CancellationToken cancellationToken)
    {
        var jetStream = await JetStreamAsync(cancellationToken);
        return await jetStream.CreateOrUpdateConsumerAsync(_options.Stream, new ConsumerConfig(_options.WriterConsumer)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = _options.AckWait,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            FilterSubject = _options.BatchSubject,
        }, cancellationToken);
    }

    /// <summary>After a failure: set the stream up again before the next use.</summary>
    public void Reset() => _streamReady = false;

    /// <summary>The largest message the connected NATS server takes (its <c>max_payload</c>), once connected.</summary>
    public long? MaxPayload => _connection?.ServerInfo?.MaxPayload;

    /// <summary>
    /// Readiness: JetStream answers a request about the stream (connecting, and setting the stream up, first if needed:
    /// a collector nobody sends to must still find the broker back). Throws with the reason when it does not.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            // While the client reconnects by itself, a request would only wait for it.
            if (_connection is { ConnectionState: NatsConnectionState.Reconnecting or NatsConnectionState.Connecting } connection)
            {
                throw new NatsException($"the connection to NATS at {_options.Url} is lost ({connection.ConnectionState.ToString().ToLowerInvariant()})");
            }
            var jetStream = await JetStreamAsync(cancellationToken);
            await jetStream.GetStreamAsync(_options.Stream, cancellationToken: cancellationToken);
        }
        catch
        {
            Reset();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _setUp.Dispose();
    }
}
