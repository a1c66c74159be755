using System.Text;
using Microsoft.AspNetCore.Http;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Hosting;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Fuzz;

/// <summary>
/// A <c>POST /collect</c> body as the listener sends it (<c>Content-Encoding: gzip</c>), read by the service's
/// <see cref="RequestBodyReader"/> (gzip framing, trailers, size limits) and then decoded.
/// </summary>
public sealed class ListenerBodyTarget : FuzzTarget
{
    /// <summary>Limits small enough that a gzip bomb is refused well inside the fuzzer's memory limit.</summary>
    private static readonly LimitOptions Limits = new() { MaxBodyBytes = 1 << 20, MaxInflatedBytes = 16 << 20 };

    private readonly ListenerPayloadDecoder _decoder = new(EventNormalizer.Default, maxNameLength: 4096);

    /// <inheritdoc/>
    public override string Name => "listener-gzip";

    /// <inheritdoc/>
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(string sharedData) =>
        ListenerTarget.CaptureSeeds(sharedData).Select((json, i) => ($"capture-{i:D2}.json.gz", Seed.Gzip(Encoding.UTF8.GetBytes(json))));

    /// <inheritdoc/>
    protected override void Decode(byte[] input)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Headers.ContentEncoding = "gzip";
        context.Request.ContentLength = input.Length;
        context.Request.Body = new MemoryStream(input, writable: false);
        using var body = RequestBodyReader.ReadAsync(context.Request, Limits, reservation: null, CancellationToken.None).GetAwaiter().GetResult();
        using var batch = _decoder.Decode(body.Span, receivedAt: 0);
        Consume.Batch(batch);
    }

    /// <inheritdoc/>
    protected override bool IsRefusal(Exception e) => e is EnvelopeException or PayloadTooLargeException;
}
