using System.Text;
using System.Text.Json.Nodes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.Fuzz;

/// <summary>
/// A Delight agent's body through <see cref="DelightPayloadDecoder"/>: as <c>/bulk</c> (base64 of gzip of event lines)
/// and as <c>/heartbeat</c>.
/// </summary>
public sealed class DelightTarget : FuzzTarget
{
    private readonly DelightPayloadDecoder _decoder = new(EventNormalizer.Default, maxNameLength: 4096, maxInflatedBytes: 16 << 20);

    /// <inheritdoc/>
    public override string Name => "delight";

    /// <inheritdoc/>
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(string sharedData)
    {
        const string AppId = "spark-pi-0a1b2c3d-0a1b-4c5d-8e9f-0a1b2c3d4e5f";
        long counter = 0;
        var payload = 0;
        foreach (var lines in Seed.Chunks(Seed.Lines(Path.Combine(sharedData, "delight-example-spark3.eventlog")), maxChunks: 8))
        {
            counter += lines.Length;
            payload++;
            var data = Convert.ToBase64String(Seed.Gzip(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")));
            var body = new JsonObject
            {
                ["dmAppId"] = AppId,
                ["sentAt"] = 1_600_000_000_000 + payload,
                ["counters"] = new JsonObject { ["messageCounter"] = counter, ["payloadCounter"] = payload },
                ["data"] = data,
            };
            yield return ($"bulk-{payload:D2}.json", Encoding.UTF8.GetBytes(body.ToJsonString()));
        }
        yield return ("heartbeat.json", Encoding.UTF8.GetBytes($"{{\"dmAppId\":\"{AppId}\"}}"));
    }

    /// <inheritdoc/>
    protected override void Decode(byte[] input)
    {
        try
        {
            using var body = PooledBuffer.Rent(input.Length);
            input.CopyTo(body.Free.Span);
            body.Advance(input.Length);
            using var batch = _decoder.DecodeBulkAsync(body, receivedAt: 0, reservation: null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            Consume.Batch(batch);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            // Refused as a bulk payload; it may still be a valid heartbeat.
        }
        using var signal = _decoder.DecodeHeartbeat(input, receivedAt: 0);
        Consume.Batch(signal);
    }

    /// <inheritdoc/>
    protected override bool IsRefusal(Exception e) => e is EnvelopeException or PayloadTooLargeException;
}
