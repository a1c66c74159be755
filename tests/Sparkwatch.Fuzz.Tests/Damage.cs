using System.IO.Compression;
using System.Text.Json.Nodes;
using CsCheck;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// One way a real payload is damaged: an edit of its JSON, then of its bytes, then of its compressed bytes.
/// <paramref name="Message"/> is the index of the one message (or Delight line) it damages, when it damages only one:
/// the rest of the payload must then be stored.
/// </summary>
public sealed record Damage(string Description, int? Message = null, Action<JsonObject>? Edit = null,
    Func<byte[], byte[]>? Raw = null, Func<byte[], byte[]>? Compressed = null)
{
    /// <summary>True when the edit sets a plain (marker-free) name that, once accepted, must be readable back.</summary>
    public bool NameMustReadBack { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>Generators of the values and byte edits the damages are made of (issue 8 §5's list).</summary>
public static class Values
{
    private static readonly string[] SwappedTypeJson = ["1", "-1", "0", "1.5", "\"text\"", "\"\"", "true", "null", "[]", "{}", "[1]", "{\"a\":1}"];
    private static readonly string[] HugeNumberJson = ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e19", "1e308", "123456789012345678901234567890"];

    /// <summary>A value of any JSON type, for a field that expects another.</summary>
    public static readonly Gen<string> SwappedType = Gen.OneOf(SwappedTypeJson);

    /// <summary>A number near or past the 64-bit limits.</summary>
    public static readonly Gen<string> HugeNumber = Gen.OneOf(HugeNumberJson);

    /// <summary>Text holding invalid UTF-8, a NUL or a lone surrogate, at the envelope level.</summary>
    public static readonly Gen<string> BadText =
        from marker in Gen.OneOf(Markers.Envelope) from shape in Gen.Int[0, 2] select shape switch { 0 => marker, 1 => "a" + marker, _ => "a" + marker + "b" };

    /// <summary>Text holding invalid UTF-8, a NUL or a lone surrogate, inside the event JSON.</summary>
    public static readonly Gen<string> BadInnerText = from marker in Gen.OneOf(Markers.Inner) select "Spark" + marker;

    /// <summary>Names that are valid text but awkward in a URL path or long.</summary>
    public static readonly Gen<string> StrangeName = Gen.OneOf(".", "..", "...", "%2E%2E", "a/b", "a\\b", " ", "a?b#c", "🙂", "名前", new string('界', 4096), new string('n', 4096));

    /// <summary>Parses a JSON value for an edit.</summary>
    public static JsonNode? Node(string json) => JsonNode.Parse(json);

    /// <summary>Bit flips, truncations and trailing bytes of the raw body.</summary>
    public static readonly Gen<Damage> BodyBytes = Gen.OneOf(
        from at in Gen.Double[0, 1] from bit in Gen.Int[0, 7] select new Damage($"raw bit {bit} flipped at {at:P1}", Raw: b => FlipBit(b, at, bit)),
        from at in Gen.Double[0, 1] select new Damage($"raw body truncated at {at:P1}", Raw: b => b[..(int)(b.Length * at)]),
        from tail in Gen.OneOf("x", " {}", "\0", "]", "\n{\"a\":1}") select new Damage($"raw body followed by '{tail}'", Raw: b => [.. b, .. System.Text.Encoding.UTF8.GetBytes(tail)]));

    /// <summary>Bit flips, truncations and trailing bytes of the gzip stream.</summary>
    public static readonly Gen<Damage> GzipBytes = Gen.OneOf(
        from at in Gen.Double[0, 1] from bit in Gen.Int[0, 7] select new Damage($"gzip bit {bit} flipped at {at:P1}", Compressed: b => FlipBit(b, at, bit)),
        from cut in Gen.Int[1, 12] select new Damage($"gzip stream without its last {cut} bytes", Compressed: b => b[..Math.Max(0, b.Length - cut)]),
        from tail in Gen.OneOf<byte[]>([0], [1, 2, 3], [0x1f, 0x8b]) select new Damage($"gzip stream followed by {tail.Length} byte(s)", Compressed: b => [.. b, .. tail]));

    private static byte[] FlipBit(byte[] bytes, double at, int bit)
    {
        if (bytes.Length == 0) return bytes;
        var copy = (byte[])bytes.Clone();
        copy[Math.Min(copy.Length - 1, (int)(copy.Length * at))] ^= (byte)(1 << bit);
        return copy;
    }

    /// <summary>gzip of <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }
}
