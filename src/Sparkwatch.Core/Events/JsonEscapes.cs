using System.Buffers.Text;
using System.Text.Json;

namespace Sparkwatch.Core.Events;

/// <summary>Finds <c>\uXXXX</c> escapes of UTF-16 surrogates that are not a high-low pair: valid JSON, but not text.</summary>
internal static class JsonEscapes
{
    /// <summary>False when <paramref name="json"/> has no <c>\uD…</c> escape at all, so no token can escape a surrogate.</summary>
    public static bool MayEscapeSurrogates(ReadOnlySpan<byte> json) => json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0;

    /// <summary>True when the current string or property name escapes a lone surrogate.</summary>
    public static bool HasLoneSurrogate(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && HasLoneSurrogate(reader.ValueSpan);

    /// <summary>True when <paramref name="escaped"/>, the raw text between a string's quotes, escapes a lone surrogate.</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> escaped)
    {
        var expectLow = false;
        for (var i = escaped.IndexOf((byte)'\\'); i >= 0 && i < escaped.Length - 1;)
        {
            var isUnicode = escaped[i + 1] == (byte)'u' && i + 6 <= escaped.Length;
            var unit = isUnicode && TryReadCodeUnit(escaped[(i + 2)..], out var value) ? value : -1;
            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != isLow) return true;
            // A pair must be adjacent: anything between a high escape and the next byte breaks it.
            expectLow = isHigh;
            var next = i + (isUnicode ? 6 : 2);
            if (expectLow && (next >= escaped.Length || escaped[next] != (byte)'\\')) return true;
            var rest = escaped[next..].IndexOf((byte)'\\');
            i = rest < 0 ? -1 : next + rest;
        }
        return expectLow;
    }

    /// <summary>Reads the four hex digits of a <c>\uXXXX</c> escape (after its <c>\u</c>) at the start of <paramref name="hex"/>.</summary>
    public static bool TryReadCodeUnit(ReadOnlySpan<byte> hex, out ushort unit)
    {
        unit = 0;
        return hex.Length >= 4 && Utf8Parser.TryParse(hex[..4], out unit, out var used, 'X') && used == 4;
    }
}
