using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// Gzip as the clients send it: exactly one gzip member (RFC 1952), checked whole. <see cref="GZipStream"/> alone
/// accepts a member cut short before its trailer and ignores bytes after it, so this reads the trailer itself:
/// the last 8 bytes must be the CRC-32 and the size (ISIZE) of what was inflated. The declared size also sizes the
/// output buffer exactly, so inflating never grows, copies or over-rents, and a body declaring more than the limit
/// is refused without holding any of it.
/// </summary>
public static class GzipMember
{
    private const int TrailerBytes = 8;
    // 10-byte header, the smallest deflate stream (2 bytes), the trailer.
    private const int MinimumBytes = 10 + 2 + TrailerBytes;

    /// <summary>True when <paramref name="bytes"/> start with the gzip magic bytes 1f 8b.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes is [0x1f, 0x8b, ..];

    /// <summary>
    /// Inflates the gzip member <paramref name="compressed"/> into a new buffer reserved in <paramref name="reservation"/>.
    /// Throws <see cref="EnvelopeException"/> when it is not one whole gzip member, <see cref="PayloadTooLargeException"/>
    /// when it inflates past <paramref name="limit"/>; <paramref name="what"/> names it in the messages (e.g. "The body").
    /// </summary>
    public static async ValueTask<PooledBuffer> InflateAsync(PooledBuffer compressed, long limit, string limitSetting, string what,
        IngestMemoryBudget.Reservation? reservation, CancellationToken cancellationToken)
    {
        if (!HasMagic(compressed.Span)) throw new EnvelopeException($"{what} is not gzip: it does not start with the magic bytes 1f 8b.");
        if (compressed.Length < MinimumBytes) throw Invalid(what, $"{compressed.Length} bytes are too few for a gzip member");
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(compressed.Span[^4..]);
        // Past the limit (or past what one array holds) nothing is kept: inflate only to tell a true size from a lie.
        if (declared > Math.Min(limit, Array.MaxLength - 1)) throw CountPastLimit(compressed, declared, limit, limitSetting, what);

        // One byte more than declared, so that inflating past the declared size shows.
        var output = await PooledBuffer.RentAsync((int)declared + 1, reservation, cancellationToken);
        try
        {
            using (var gzip = Open(compressed))
            {
                int read;
                do
                {
                    read = Inflate(gzip, output.Free.Span[..Math.Min(output.Free.Length, (int)declared + 1 - output.Length)], what);
                    output.Advance(read);
                }
                while (read > 0 && output.Length <= declared);
            }
            if (output.Length > declared) throw Invalid(what, $"it inflates past the {declared} bytes its trailer declares; it is cut short, has bytes after its end, or is several gzip members");
            if (output.Length < declared) throw Invalid(what, $"its trailer declares {declared} bytes but it inflates to {output.Length}; it is cut short or has bytes after its end");
            if (Crc32.HashToUInt32(output.Span) != BinaryPrimitives.ReadUInt32LittleEndian(compressed.Span[^TrailerBytes..]))
            {
                throw Invalid(what, "its CRC-32 does not match its trailer; it is cut short or has bytes after its end");
            }
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Inflates into a small scratch buffer only to count: past the limit is too large, short of it a damaged member.</summary>
    private static Exception CountPastLimit(PooledBuffer compressed, uint declared, long limit, string limitSetting, string what)
    {
        using var scratch = PooledBuffer.Rent(64 * 1024);
        long total = 0;
        using var gzip = Open(compressed);
        for (int read; (read = Inflate(gzip, scratch.AsSpan(0), what)) > 0;)
        {
            total += read;
            if (total > limit) return new PayloadTooLargeException($"{what} inflates past {limit} bytes ({limitSetting}); send smaller payloads or raise the limit.");
        }
        return Invalid(what, $"its trailer declares {declared} bytes but it inflates to {total}; it is cut short or has bytes after its end");
    }

    private static GZipStream Open(PooledBuffer compressed) =>
        new(compressed.AsStream(), CompressionMode.Decompress);

    private static int Inflate(GZipStream gzip, Span<byte> into, string what)
    {
        try
        {
            return gzip.Read(into);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(what, e.Message);
        }
    }

    private static EnvelopeException Invalid(string what, string why) => new($"{what} is not valid gzip: {why}.");
}
