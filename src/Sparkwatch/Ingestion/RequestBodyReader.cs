using Microsoft.AspNetCore.Http.Features;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Hosting;

namespace Sparkwatch.Ingestion;

/// <summary>
/// Reads a request body into one <see cref="PooledBuffer"/>, reserving memory as bytes arrive (a slow sender holds
/// only what it has sent), refusing it the moment it passes <c>MaxBodyBytes</c>, and inflating gzip bodies
/// within <c>MaxInflatedBytes</c>.
/// </summary>
public static class RequestBodyReader
{
    /// <summary>What the buffer holds before the first byte arrives.</summary>
    public const int FirstBufferBytes = 4 * 1024;

    /// <summary>
    /// Reads the body of <paramref name="request"/>, honouring <c>Content-Encoding: gzip</c> (or gzip magic bytes
    /// without it); every buffer taken is reserved in <paramref name="reservation"/> first.
    /// </summary>
    public static async Task<PooledBuffer> ReadAsync(HttpRequest request, LimitOptions limits, IngestMemoryBudget.Reservation? reservation,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > limits.MaxBodyBytes) throw TooLarge(request.ContentLength.Value, limits);
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = limits.MaxBodyBytes;

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var declaredGzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!declaredGzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            throw new EnvelopeException($"Content-Encoding '{encoding}' is not supported; send gzip or an uncompressed body.");
        }
        var raw = await ReadBoundedAsync(request.Body, request.ContentLength, limits, reservation, cancellationToken);
        // curl users may post a .gz file without saying so: the magic bytes tell.
        if (!declaredGzip && !GzipMember.HasMagic(raw.Span)) return raw;
        using (raw)
        {
            return await GzipMember.InflateAsync(raw, limits.MaxInflatedBytes, "Sparkwatch:Limits:MaxInflatedBytes", "The body", reservation, cancellationToken);
        }
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end into a buffer that doubles as bytes arrive, never past the declared
    /// length or one byte over the limit (enough to see that the limit is passed).
    /// </summary>
    private static async Task<PooledBuffer> ReadBoundedAsync(Stream source, long? contentLength, LimitOptions limits,
        IngestMemoryBudget.Reservation? reservation, CancellationToken cancellationToken)
    {
        var limit = limits.MaxBodyBytes;
        var maxCapacity = (int)Math.Min(Math.Min(limit, contentLength ?? limit) + 1, Array.MaxLength);
        var buffer = await PooledBuffer.RentAsync(Math.Min(FirstBufferBytes, maxCapacity), reservation, cancellationToken);
        try
        {
            while (true)
            {
                if (buffer.Length == buffer.Capacity) await buffer.GrowAsync(Math.Max((int)Math.Min(2L * buffer.Capacity, maxCapacity), buffer.Capacity + 1), cancellationToken);
                var read = await source.ReadAsync(buffer.Free, cancellationToken);
                if (read == 0) return buffer;
                buffer.Advance(read);
                if (buffer.Length > limit) throw TooLarge(buffer.Length, limits);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var seen = buffer.Length;
            buffer.Dispose();
            throw TooLarge(seen, limits);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static PayloadTooLargeException TooLarge(long size, LimitOptions limits) =>
        new($"The request body is larger than {limits.MaxBodyBytes} bytes (Sparkwatch:Limits:MaxBodyBytes, saw at least {size}); send smaller payloads or raise the limit.");
}
