namespace Sparkwatch.Testing;

/// <summary>Byte-level edits for inputs a JSON writer cannot produce (invalid UTF-8, raw escapes).</summary>
public static class Bytes
{
    /// <summary><paramref name="bytes"/> with every occurrence of <paramref name="marker"/> replaced by <paramref name="replacement"/>.</summary>
    public static byte[] Replace(byte[] bytes, ReadOnlySpan<byte> marker, ReadOnlySpan<byte> replacement)
    {
        var output = new List<byte>(bytes.Length);
        var rest = bytes.AsSpan();
        while (rest.IndexOf(marker) is var at and >= 0)
        {
            output.AddRange(rest[..at]);
            output.AddRange(replacement);
            rest = rest[(at + marker.Length)..];
        }
        output.AddRange(rest);
        return [.. output];
    }
}
