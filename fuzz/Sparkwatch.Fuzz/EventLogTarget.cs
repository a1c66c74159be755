using System.Text;
using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Fuzz;

/// <summary>
/// One event-log file as <c>import</c>, <c>replay</c> and <c>follow</c> read it: decompressed by the codec its name
/// says (none, lz4, lzf, snappy, zstd), split into lines, its header scanned, each line normalized — as a finished file
/// and as one still being written.
/// </summary>
public sealed class EventLogTarget(string? codec) : FuzzTarget
{
    private readonly string _path = Path.Combine(Scratch.Folder, "app-1" + (codec is null ? "" : "." + codec));

    /// <inheritdoc/>
    public override string Name => "eventlog-" + (codec ?? "plain");

    /// <inheritdoc/>
    public override string? SeedCodec => codec;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(string sharedData) =>
        Seed.EventLogFiles(sharedData)
            .SelectMany(file => Seed.Chunks(Seed.Lines(file), maxChunks: 2).Select((lines, i) => ($"{Path.GetFileName(file)}-{i}", lines)))
            .Select(seed => (seed.Item1, Encoding.UTF8.GetBytes(string.Join('\n', seed.lines) + "\n")));

    /// <inheritdoc/>
    protected override void Decode(byte[] input)
    {
        File.WriteAllBytes(_path, input);
        var log = EventLogFiles.Discover(_path).Single();
        ReadAll(log);
        using var growing = EventLogFiles.OpenDecompressed(_path, allowTruncatedEnd: true);
        foreach (var line in EventLogLines.Read(growing, includeUnterminatedTail: false)) Normalize(line);
    }

    /// <summary>Reads <paramref name="log"/> as the importer does: its header, then every line normalized.</summary>
    public static void ReadAll(EventLog log)
    {
        var header = EventLogHeader.Read(log);
        _ = header.RunName(log);
        foreach (var line in EventLogFiles.ReadLines(log)) Normalize(line);
    }

    private static void Normalize(ReadOnlyMemory<byte> line)
    {
        if (EventNormalizer.Default.TryNormalize(new RunKey("fuzz", "fuzz"), 0, 0, line, out var message, out _)) Consume.Facts(message.Facts);
    }

    /// <inheritdoc/>
    protected override bool IsRefusal(Exception e) => e is EventLogFormatException;
}

/// <summary>A folder of this process for the files the event-log targets write (the readers open files by name).</summary>
internal static class Scratch
{
    public static string Folder { get; } = Create();

    private static string Create()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var folder = Path.Combine(root, "sparkwatch-fuzz", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } };
        return folder;
    }
}
