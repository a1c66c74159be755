using System.Text;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Fuzz;

/// <summary>
/// A log of several files, found by <see cref="EventLogFiles.Discover"/>: a rolling log (<c>eventlog_v2_…/events_N_…</c>,
/// with or without its <c>appstatus</c> file and a compacted part) or the Spark 1.x directory (<c>EVENT_LOG_N</c> with
/// its <c>COMPRESSION_CODEC_…</c> marker). Input: one byte choosing the codec, one byte of layout flags, then the parts
/// separated by <see cref="PartSeparator"/>.
/// </summary>
public sealed class RollingLogTarget : FuzzTarget
{
    /// <summary>Separates the parts in the input (ASCII record separator).</summary>
    public const byte PartSeparator = 0x1e;

    private const int MaxParts = 8;
    private const byte Complete = 1, LastCompacted = 2, Legacy = 4;
    private static readonly string?[] Codecs = [null, "lz4", "lzf", "snappy", "zstd"];

    private int _run;

    /// <inheritdoc/>
    public override string Name => "eventlog-rolling";

    /// <inheritdoc/>
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(string sharedData)
    {
        var lines = Seed.Chunks(Seed.Lines(Path.Combine(sharedData, "delight-example-spark3.eventlog")), maxChunks: 3).ToArray();
        var parts = lines.Select(chunk => Encoding.UTF8.GetBytes(string.Join('\n', chunk) + "\n")).ToArray();
        byte[][] layouts = [[0, Complete], [0, 0], [0, Complete | LastCompacted], [0, Legacy]];
        return layouts.Select((layout, i) => ($"layout-{i}", Join(layout, parts)));
    }

    private static byte[] Join(byte[] prefix, byte[][] parts)
    {
        var bytes = new List<byte>(prefix);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) bytes.Add(PartSeparator);
            bytes.AddRange(parts[i]);
        }
        return [.. bytes];
    }

    /// <inheritdoc/>
    protected override void Decode(byte[] input)
    {
        if (input.Length < 2) return;
        var codec = Codecs[input[0] % Codecs.Length];
        var flags = input[1];
        var folder = Path.Combine(Scratch.Folder, $"rolling-{_run++}");
        try
        {
            var logFolder = Write(folder, codec, flags, Split(input.AsSpan(2)));
            foreach (var log in EventLogFiles.Discover(logFolder)) EventLogTarget.ReadAll(log);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<byte[]> Split(ReadOnlySpan<byte> rest)
    {
        var parts = new List<byte[]>();
        while (parts.Count < MaxParts - 1 && rest.IndexOf(PartSeparator) is var at and >= 0)
        {
            parts.Add(rest[..at].ToArray());
            rest = rest[(at + 1)..];
        }
        parts.Add(rest.ToArray());
        return parts;
    }

    private static string Write(string folder, string? codec, byte flags, List<byte[]> parts)
    {
        const string AppId = "app-20240101000000-0001";
        var extension = codec is null ? "" : "." + codec;
        if ((flags & Legacy) != 0)
        {
            var legacy = Directory.CreateDirectory(Path.Combine(folder, AppId)).FullName;
            File.WriteAllBytes(Path.Combine(legacy, "COMPRESSION_CODEC_" + (codec ?? "unknown")), []);
            for (var i = 0; i < parts.Count; i++) File.WriteAllBytes(Path.Combine(legacy, $"EVENT_LOG_{i + 1}"), parts[i]);
            return legacy;
        }
        var rolling = Directory.CreateDirectory(Path.Combine(folder, "eventlog_v2_" + AppId)).FullName;
        for (var i = 0; i < parts.Count; i++)
        {
            var compacted = (flags & LastCompacted) != 0 && i == parts.Count - 1 ? ".compact" : "";
            File.WriteAllBytes(Path.Combine(rolling, $"events_{i + 1}_{AppId}{extension}{compacted}"), parts[i]);
        }
        if ((flags & Complete) != 0) File.WriteAllBytes(Path.Combine(rolling, "appstatus_" + AppId), []);
        return rolling;
    }

    /// <inheritdoc/>
    protected override bool IsRefusal(Exception e) => e is EventLogFormatException;
}
