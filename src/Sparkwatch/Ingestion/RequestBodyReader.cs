using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Hosting;

namespace Sparkwatch.Ingestion;

/// <summary>A request body read into one pooled buffer; dispose to return it.</summary>
public sealed class PooledBody(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;
    private IDisposable? _reservation;

    /// <summary>The body's bytes.</summary>
    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsSpan(0, length);

    /// <summary>Gives <paramref name="reservation"/> back when this body is disposed.</summary>
    public void HoldUntilDisposed(IDisposable? reservation) => _reservation = reservation;

    /// <summary>A read-only stream over the body, sharing its buffer.</summary>
    public Stream AsStream() => new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, length, writable: false);

    /// <inheritdoc/>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Exchange(ref _reservation, null)?.Dispose();
    }
}

/// <summary>
/// Reads a request body, inflating gzip as it goes, into one pooled buffer — and stops the moment the body or its
/// inflated form passes the configured limit, so a small gzip bomb costs at most the limit.
/// </summary>
public static class RequestBodyReader
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    /// <summary>
    /// Reads the body of <paramref name="request"/>, honouring <c>Content-Encoding: gzip</c>. With a
    /// <paramref name="budget"/>, the body's memory — twice its inflated size, for the decoded copy — is reserved as it
    /// grows and held until the returned body is disposed.
    /// </summary>
    public static async Task<PooledBody> ReadAsync(HttpRequest request, LimitOptions limits, CancellationToken cancellationToken, IngestMemoryBudget? budget = null)
    {
        var reservation = budget?.Open();
        try
        {
            var body = await ReadAsync(request, limits, reservation, cancellationToken);
            body.HoldUntilDisposed(reservation);
            return body;
        }
        catch
        {
            reservation?.Dispose();
            throw;
        }
    }

    private static async Task<PooledBody> ReadAsync(HttpRequest request, LimitOptions limits, IngestMemoryBudget.Reservation? reservation, CancellationToken cancellationToken)
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
        var raw = await ReadAllAsync(request.Body, limits.MaxBodyBytes, cancellationToken, inflated: false, limits, reservation);
        // curl users may post a .gz file without saying so: the magic bytes tell.
        if (!declaredGzip && !raw.Span.StartsWith(GzipMagic)) return raw;
        using (raw)
        {
            if (!raw.Span.StartsWith(GzipMagic))
            {
                throw new EnvelopeException("The body is declared 'Content-Encoding: gzip' but does not start with the gzip magic bytes 1f 8b.");
            }
            try
            {
                await using var gzip = new GZipStream(raw.AsStream(), CompressionMode.Decompress);
                return await ReadAllAsync(gzip, limits.MaxInflatedBytes, cancellationToken, inflated: true, limits, reservation);
            }
            catch (InvalidDataException e)
            {
                throw new EnvelopeException($"The body is not valid gzip: {e.Message}");
            }
        }
    }

    private static async Task<PooledBody> ReadAllAsync(Stream source, long limit, CancellationToken cancellationToken, bool inflated, LimitOptions limits,
        IngestMemoryBudget.Reservation? reservation)
    {
        const int FirstBufferBytes = 64 * 1024;
        if (reservation is not null) await reservation.GrowAsync(2 * FirstBufferBytes, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var largerSize = PooledBytes.NextSize(buffer.Length, limit);
                    if (reservation is not null) await reservation.GrowAsync(2L * (largerSize - buffer.Length), cancellationToken);
                    buffer = PooledBytes.Grow(buffer, length, largerSize);
                }
                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) return new PooledBody(buffer, length);
                length += read;
                if (length > limit)
                {
                    throw inflated
                        ? new PayloadTooLargeException($"The gzip body inflates past {limits.MaxInflatedBytes} bytes (Sparkwatch:Limits:MaxInflatedBytes); send smaller payloads (spark.datamechanics.payload.maxNumEvents) or raise the limit.")
                        : TooLarge(length, limits);
                }
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw TooLarge(length, limits);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static PayloadTooLargeException TooLarge(long size, LimitOptions limits) =>
        new($"The request body is larger than {limits.MaxBodyBytes} bytes (Sparkwatch:Limits:MaxBodyBytes, saw at least {size}); send smaller payloads or raise the limit.");
}
