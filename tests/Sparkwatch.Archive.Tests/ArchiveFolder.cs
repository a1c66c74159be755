using System.Text;
using Sparkwatch.EventLogs;
using Sparkwatch.EventLogs.Tests;
using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>Reads an archive root on disk back: as Spark's History Server and <c>sparkwatch import</c> would.</summary>
public static class ArchiveFolder
{
    /// <summary>Every file under the root with its bytes, keyed by its path relative to the root.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(root, p), File.ReadAllBytes), StringComparer.Ordinal);

    /// <summary>The logs of the root (one per run) as our reader finds them, with their lines; none before the root exists.</summary>
    public static IReadOnlyList<(EventLog Log, List<string> Lines)> Logs(string root) => !Directory.Exists(root) ? [] :
        [.. EventLogFiles.Discover(root).Select(log => (log, EventLogFiles.ReadLines(log).Select(l => Encoding.UTF8.GetString(l.Span)).ToList()))];

    /// <summary>
    /// Decodes every compressed part of the root with Spark's Java codec libraries and asserts each gives the bytes our reader gives.
    /// Returns how many parts were checked.
    /// </summary>
    public static int AssertJavaDecodesEveryPart(string root)
    {
        using var output = new TempFolder();
        var parts = EventLogFiles.Discover(root).SelectMany(l => l.Parts)
            .Select(p => (Part: p, Codec: Path.GetExtension(p).TrimStart('.'))).Where(p => p.Codec.Length > 0).ToArray();
        var jobs = parts.Select((p, i) => (p.Codec, p.Part, Path.Combine(output.Path, $"{i}.json"))).ToArray();
        if (jobs.Length > 0) JavaCodecs.Decompress(jobs);
        for (var i = 0; i < jobs.Length; i++)
        {
            using var ours = new MemoryStream();
            using (var stream = EventLogFiles.OpenDecompressed(parts[i].Part, allowTruncatedEnd: false)) stream.CopyTo(ours);
            Assert.True(ours.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(jobs[i].Item3)), $"Java decodes {parts[i].Part} differently");
        }
        return jobs.Length;
    }
}
