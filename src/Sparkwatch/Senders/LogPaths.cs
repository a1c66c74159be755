namespace Sparkwatch.Senders;

/// <summary>What a client needs to know about an event-log file from its name alone.</summary>
public static class LogPaths
{
    private const string InProgressSuffix = ".inprogress";
    private static readonly string[] CodecExtensions = [".lz4", ".lzf", ".snappy", ".zstd"];

    /// <summary>The path without Spark's <c>.inprogress</c> suffix: the same file before and after the application ends.</summary>
    public static string WithoutInProgress(string path) =>
        path.EndsWith(InProgressSuffix, StringComparison.Ordinal) ? path[..^InProgressSuffix.Length] : path;

    /// <summary>True while Spark still writes the file (its name ends in <c>.inprogress</c>).</summary>
    public static bool IsInProgress(string path) => path.EndsWith(InProgressSuffix, StringComparison.Ordinal);

    /// <summary>True when the file is compressed with one of Spark's codecs (so offsets are not line positions).</summary>
    public static bool IsCompressed(string path) =>
        CodecExtensions.Any(e => WithoutInProgress(path).EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
