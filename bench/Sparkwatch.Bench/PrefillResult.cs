using System.Text.Json;

namespace Sparkwatch.Bench;

/// <summary>
/// The events stored before the measured phases (<c>--prefill-events</c>): counted into every "events stored" figure.
/// Written beside the store as <see cref="FileName"/>, so that a copy of the store (<c>--copy-store</c>) carries its counts.
/// </summary>
internal sealed record PrefillResult(long Events, long RawBytes, double Seconds, double EventsPerSecond, bool Copied)
{
    public const string FileName = "bench-prefill.json";

    public void Write(string dataDir) => File.WriteAllText(Path.Combine(dataDir, FileName), JsonSerializer.Serialize(this, BenchCommand.Json));

    /// <summary>The counts of a store copied in by <see cref="CopyStore"/>.</summary>
    public static PrefillResult Read(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path)) throw new InvalidOperationException($"--copy-store: {path} is missing; fill the store with --prefill-events N --data-dir DIR --keep-data.");
        return JsonSerializer.Deserialize<PrefillResult>(File.ReadAllText(path), BenchCommand.Json)! with { Copied = true };
    }

    /// <summary>Copies every file of a stopped server's data folder <paramref name="from"/> into <paramref name="dataDir"/>.</summary>
    public static void CopyStore(string from, string dataDir)
    {
        if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any())
        {
            throw new InvalidOperationException($"--copy-store: the data folder {dataDir} is not empty.");
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dataDir, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
