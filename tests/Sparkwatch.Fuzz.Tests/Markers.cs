using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// Text a JSON writer cannot produce, put in place after serialising: a value holds a marker, and the marker's bytes
/// are then replaced by raw invalid UTF-8 or by an escape (once escaped for a field of the envelope, twice for a field
/// of the event JSON inside <c>content</c>).
/// </summary>
public static class Markers
{
    /// <summary>A byte that is never valid UTF-8.</summary>
    public const string InvalidUtf8 = "~~FF~~";

    /// <summary>The envelope-level escape <c>\u0000</c>.</summary>
    public const string Nul = "~~NUL~~";

    /// <summary>A lone high surrogate escape <c>\ud800</c> at the envelope level.</summary>
    public const string HighSurrogate = "~~HI~~";

    /// <summary>A lone low surrogate escape <c>\udc00</c> at the envelope level.</summary>
    public const string LowSurrogate = "~~LO~~";

    /// <summary>The escape <c>\u0000</c> inside the event JSON of <c>content</c>.</summary>
    public const string InnerNul = "~~NUL2~~";

    /// <summary>A lone high surrogate escape inside the event JSON of <c>content</c>.</summary>
    public const string InnerHighSurrogate = "~~HI2~~";

    /// <summary>A lone low surrogate escape inside the event JSON of <c>content</c>.</summary>
    public const string InnerLowSurrogate = "~~LO2~~";

    /// <summary>Every marker, for generators.</summary>
    public static readonly string[] Envelope = [InvalidUtf8, Nul, HighSurrogate, LowSurrogate];

    /// <summary>The markers meant for fields of the event JSON.</summary>
    public static readonly string[] Inner = [InvalidUtf8, InnerNul, InnerHighSurrogate, InnerLowSurrogate, HighSurrogate];

    private static readonly (byte[] Marker, byte[] Replacement)[] Replacements =
    [
        (Encoding.ASCII.GetBytes(InvalidUtf8), [0xff]),
        (Encoding.ASCII.GetBytes(InnerNul), Encoding.ASCII.GetBytes("\\\\u0000")),
        (Encoding.ASCII.GetBytes(InnerHighSurrogate), Encoding.ASCII.GetBytes("\\\\ud800")),
        (Encoding.ASCII.GetBytes(InnerLowSurrogate), Encoding.ASCII.GetBytes("\\\\udc00")),
        (Encoding.ASCII.GetBytes(Nul), Encoding.ASCII.GetBytes("\\u0000")),
        (Encoding.ASCII.GetBytes(HighSurrogate), Encoding.ASCII.GetBytes("\\ud800")),
        (Encoding.ASCII.GetBytes(LowSurrogate), Encoding.ASCII.GetBytes("\\udc00")),
    ];

    /// <summary><paramref name="text"/>'s UTF-8 with every marker replaced.</summary>
    public static byte[] Apply(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var (marker, replacement) in Replacements) bytes = Bytes.Replace(bytes, marker, replacement);
        return bytes;
    }
}
