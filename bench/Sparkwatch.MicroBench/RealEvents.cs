using System.IO.Compression;
using Sparkwatch.Bench;

namespace Sparkwatch.MicroBench;

/// <summary>The real events the benchmarks work on, and listener bodies made of them (inflated, as the decoder sees them).</summary>
internal static class RealEvents
{
    private static readonly Lazy<SourceEvents> Loaded = new(() => SourceEvents.Load(SharedData()));

    public static SourceEvents Source => Loaded.Value;

    /// <summary>The inflated body of a listener payload of <paramref name="messages"/> real events.</summary>
    public static byte[] InflatedBody(int messages, string run = "run-1")
    {
        var payload = new PayloadFactory(Source).Run("micro-bench", run, messages, messages)[0];
        using var inflated = new MemoryStream();
        // The payload is several gzip members back to back; GZipStream reads them all.
        using (var gzip = new GZipStream(new MemoryStream([.. payload.Body.SelectMany(b => b)]), CompressionMode.Decompress)) gzip.CopyTo(inflated);
        return inflated.ToArray();
    }

    private static string SharedData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sparkwatch.slnx"))) return Path.Combine(dir.FullName, "..", "shared", "data");
        }
        throw new InvalidOperationException("Run the micro-benchmarks from inside the repository (they read ../shared/data).");
    }
}
