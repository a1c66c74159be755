using System.IO.Compression;
using System.Text;

namespace Sparkwatch.Fuzz;

/// <summary>Helpers that cut real data down to seeds small enough for the fuzzer (it mutates small inputs best).</summary>
internal static class Seed
{
    /// <summary>Largest seed we make, in bytes; AFL++ slows down on larger ones.</summary>
    public const int MaxBytes = 8 * 1024;

    /// <summary>The Spark event logs of the shared data: the Delight example and Spark's own History Server logs.</summary>
    public static IEnumerable<string> EventLogFiles(string sharedData) =>
        new[] { Path.Combine(sharedData, "delight-example-spark3.eventlog") }
            .Concat(Directory.GetFiles(Path.Combine(sharedData, "spark-events")).Order(StringComparer.Ordinal));

    /// <summary>The non-empty lines of <paramref name="file"/>.</summary>
    public static IEnumerable<string> Lines(string file) => File.ReadLines(file).Where(l => l.Length > 0);

    /// <summary>Consecutive runs of lines whose total stays under <see cref="MaxBytes"/> (a line longer than that is skipped).</summary>
    public static IEnumerable<string[]> Chunks(IEnumerable<string> lines, int maxChunks)
    {
        var chunk = new List<string>();
        var size = 0;
        var made = 0;
        foreach (var line in lines.Where(l => Encoding.UTF8.GetByteCount(l) < MaxBytes / 2))
        {
            var bytes = Encoding.UTF8.GetByteCount(line) + 1;
            if (size + bytes > MaxBytes / 2 && chunk.Count > 0)
            {
                yield return [.. chunk];
                if (++made == maxChunks) yield break;
                chunk.Clear();
                size = 0;
            }
            chunk.Add(line);
            size += bytes;
        }
        if (chunk.Count > 0) yield return [.. chunk];
    }

    /// <summary>gzip of <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(bytes);
        return output.ToArray();
    }
}
