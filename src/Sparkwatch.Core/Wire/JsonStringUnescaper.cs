using System.Runtime.Intrinsics;
using System.Text;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Wire;

/// <summary>
/// Unescapes one JSON string value in a single pass, for the listener's <c>content</c> strings: a whole Spark event
/// escaped into a string, so an escape every few bytes (<c>\"</c> around each field name).
/// </summary>
/// <remarks>
/// <see cref="System.Text.Json.Utf8JsonReader"/> first validates such a string byte by byte (its fast scan stops at
/// the first backslash) and then unescapes it in a second pass. Here each 16-byte block is copied whole and checked
/// for a quote, a backslash or a control byte with one vector compare; only those bytes take a scalar step.
/// Anything the common case does not need (an invalid escape, a lone surrogate escape, a raw control byte) makes it
/// return false, so that the caller can leave the string to <see cref="System.Text.Json.Utf8JsonReader"/>, whose
/// errors are the authoritative ones. It never checks UTF-8: the caller validates what it wrote.
/// </remarks>
internal static class JsonStringUnescaper
{
    private const byte Quote = (byte)'"', Backslash = (byte)'\\', FirstPrintable = 0x20;

    /// <summary>
    /// Unescapes the string whose text starts at <paramref name="source"/>[0] (just after its opening quote) into
    /// <paramref name="destination"/>. On success <paramref name="consumed"/> counts the closing quote too.
    /// </summary>
    public static bool TryUnescape(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        int s = 0, d = 0; // read from source[s], write to destination[d]
        while (true)
        {
            // The vector step: copy 16 bytes whatever they are, then keep only those before the first special byte.
            if (Vector128.IsHardwareAccelerated && s + Vector128<byte>.Count <= source.Length && d + Vector128<byte>.Count <= destination.Length)
            {
                var block = Vector128.Create(source.Slice(s, Vector128<byte>.Count));
                block.CopyTo(destination[d..]);
                var special = Vector128.Equals(block, Vector128.Create(Quote))
                    | Vector128.Equals(block, Vector128.Create(Backslash))
                    | Vector128.LessThan(block, Vector128.Create(FirstPrintable));
                var mask = special.ExtractMostSignificantBits();
                if (mask == 0)
                {
                    s += Vector128<byte>.Count;
                    d += Vector128<byte>.Count;
                    continue;
                }
                var plain = System.Numerics.BitOperations.TrailingZeroCount(mask);
                s += plain;
                d += plain;
            }
            else
            {
                // Near either end: one byte at a time.
                if (s >= source.Length) break;
                var b = source[s];
                if (b != Quote && b != Backslash && b >= FirstPrintable)
                {
                    if (d >= destination.Length) break;
                    destination[d++] = b;
                    s++;
                    continue;
                }
            }
            // A quote, a backslash or a control byte.
            var stopByte = source[s];
            if (stopByte == Quote)
            {
                consumed = s + 1;
                written = d;
                return true;
            }
            // The escape a nested JSON document is full of: a quote around each of its names and strings.
            if (stopByte == Backslash && s + 1 < source.Length && source[s + 1] == Quote && d < destination.Length)
            {
                destination[d++] = Quote;
                s += 2;
                continue;
            }
            if (stopByte != Backslash || !TryUnescapeOne(source[s..], destination[d..], out var escapeLength, out var byteCount)) break;
            s += escapeLength;
            d += byteCount;
        }
        consumed = written = 0;
        return false;
    }

    /// <summary>Writes the bytes of the escape at <paramref name="escape"/>[0] (a backslash); false for anything not plainly valid.</summary>
    private static bool TryUnescapeOne(ReadOnlySpan<byte> escape, Span<byte> destination, out int escapeLength, out int written)
    {
        escapeLength = 2;
        written = 1;
        if (escape.Length < 2 || destination.IsEmpty) return false;
        byte? simple = escape[1] switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'/' => (byte)'/',
            (byte)'b' => (byte)'\b',
            (byte)'f' => (byte)'\f',
            (byte)'n' => (byte)'\n',
            (byte)'r' => (byte)'\r',
            (byte)'t' => (byte)'\t',
            _ => null,
        };
        if (simple is { } value)
        {
            destination[0] = value;
            return true;
        }
        if (escape[1] != (byte)'u' || !JsonEscapes.TryReadCodeUnit(escape[2..], out var unit)) return false;
        escapeLength = 6;
        var scalar = (int)unit;
        if (char.IsLowSurrogate((char)unit)) return false;
        if (char.IsHighSurrogate((char)unit))
        {
            // Only a high surrogate escape followed at once by a low one is text.
            if (escape.Length < 12 || escape[6] != Backslash || escape[7] != (byte)'u' || !JsonEscapes.TryReadCodeUnit(escape[8..], out var low) || !char.IsLowSurrogate((char)low)) return false;
            escapeLength = 12;
            scalar = char.ConvertToUtf32((char)unit, (char)low);
        }
        return new Rune(scalar).TryEncodeToUtf8(destination, out written);
    }
}
