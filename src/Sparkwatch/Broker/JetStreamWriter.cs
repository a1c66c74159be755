using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;
using Sparkwatch.Hosting;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Broker;

/// <summary>
/// The <c>writer</c> role: pulls batches from the durable consumer every writer process shares (JetStream spreads them;
/// a batch a dead writer did not acknowledge goes to another after <see cref="BrokerOptions.AckWait"/>), stores them
/// through the group-commit <see cref="IngestWriter"/> (where the store's exactly-once rules drop what is stored
/// already) and acknowledges each only after its commit. A message that is not a batch is terminated, logged and
/// counted; it stays in the stream, inspectable by its sequence number, until the stream's retention drops it.
/// </summary>
public sealed class JetStreamWriter(JetStreamBroker broker, IngestWriter writer, IOptions<SparkwatchOptions> options, ILogger<JetStreamWriter> logger)
    : BackgroundService
{
    private static readonly Counter<long> Stored = JetStreamBroker.Meter.CreateCounter<long>("sparkwatch.broker.batches_stored");
    private static readonly Counter<long> Poison = JetStreamBroker.Meter.CreateCounter<long>("sparkwatch.broker.poison_messages");
    private readonly BrokerOptions _options = options.Value.Broker;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var consumer = await broker.WriterConsumerAsync(stoppingToken);
                logger.LogInformation("Writing batches of JetStream consumer {Consumer} to the store", _options.WriterConsumer);
                await ConsumeAsync(consumer, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                broker.Reset();
                logger.LogWarning("Consuming from JetStream at {Url} failed, trying again in 2 s: {Error}", _options.Url, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    // Pull requests die with a restarted server; short ones (and their heartbeats) get a writer going again within seconds.
    private NatsJSConsumeOpts ConsumeOptions => new() { MaxMsgs = _options.FetchBatchSize, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromSeconds(2) };

    private async Task ConsumeAsync(INatsJSConsumer consumer, CancellationToken stoppingToken)
    {
        // At most one pull's worth of batches in flight: they are enqueued in arrival order and commit together.
        using var slots = new SemaphoreSlim(_options.FetchBatchSize);
        var pending = new HashSet<Task>();
        try
        {
            await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: ConsumeOptions, cancellationToken: stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var task = StoreAsync(message, slots);
                lock (pending) pending.Add(task);
                _ = task.ContinueWith(t => { lock (pending) pending.Remove(t); }, TaskScheduler.Default);
            }
        }
        finally
        {
            Task[] left;
            lock (pending) left = [.. pending];
            await Task.WhenAll(left);
        }
    }

    /// <summary>Stores one message's batch, then acknowledges it; never throws.</summary>
    private async Task StoreAsync(INatsJSMsg<byte[]> message, SemaphoreSlim slots)
    {
        try
        {
            Core.Ingest.IngestBatch batch;
            try
            {
                batch = BatchCodec.Decode(message.Data ?? []);
            }
            catch (BatchEncodingException e)
            {
                Poison.Add(1);
                logger.LogError("Stream {Stream} message {Sequence} is terminated, not stored: {Reason}", _options.Stream, message.Metadata?.Sequence.Stream, e.Message);
                await message.AckTerminateAsync();
                return;
            }
            using (batch)
            {
                // Not cancelled on shutdown: the writer commits what it was given, and the ack follows if the connection still stands.
                await writer.WriteAsync(batch, CancellationToken.None);
            }
            await message.AckAsync();
            Stored.Add(1);
        }
        catch (Exception e)
        {
            // Not acknowledged: JetStream hands the batch out again (here or to another writer); the store drops what it holds.
            logger.LogWarning("Storing stream {Stream} message {Sequence} failed, it will be delivered again: {Error}", _options.Stream, message.Metadata?.Sequence.Stream, e.Message);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                await message.NakAsync();
            }
            catch (Exception nakError)
            {
                logger.LogDebug(nakError, "The negative acknowledgement was lost too; the batch comes back after AckWait");
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
