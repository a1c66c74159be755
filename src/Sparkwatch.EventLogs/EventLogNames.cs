using System.Text.RegularExpressions;

namespace Sparkwatch.EventLogs;

/// <summary>How Spark names event log files: codec and state suffixes, rolling parts, application and attempt ids.</summary>
internal static partial class EventLogNames
{
    public const string InProgressSuffix = ".inprogress";
    public const string CompactSuffix = ".compact";
    public const string RollingDirectoryPrefix = "eventlog_v2_";
    public const string RollingStatusPrefix = "appstatus_";
    public const string LegacyLogPrefix = "EVENT_LOG_";
    public const string LegacyCodecPrefix = "COMPRESSION_CODEC_";

    /// <summary>Spark's short codec names, which are also the file extensions it writes.</summary>
    public static readonly string[] CodecNames = ["lz4", "lzf", "snappy", "zstd"];

    /// <summary>Splits a file name into its stem, codec extension (if any), <c>.inprogress</c> and <c>.compact</c> flags.</summary>
    public static (string Stem, string? Codec, bool InProgress, bool Compacted) Parse(string fileName)
    {
        var stem = fileName;
        var inProgress = TrimSuffix(ref stem, InProgressSuffix);
        var compacted = TrimSuffix(ref stem, CompactSuffix);
        string? codec = null;
        var dot = stem.LastIndexOf('.');
        if (dot > 0 && CodecNames.Contains(stem[(dot + 1)..]))
        {
            codec = stem[(dot + 1)..];
            stem = stem[..dot];
        }
        return (stem, codec, inProgress, compacted);
    }

    /// <summary>
    /// Splits <c>&lt;appId&gt;[_&lt;attemptId&gt;]</c>. YARN ids (<c>application_&lt;ts&gt;_&lt;n&gt;</c>) contain underscores
    /// themselves, so their attempt is a third part; other cluster managers' ids have none, so a trailing <c>_&lt;digits&gt;</c> is the attempt.
    /// </summary>
    public static (string AppId, string? AttemptId) SplitAttempt(string stem)
    {
        var match = YarnId().Match(stem);
        if (!match.Success) match = OtherId().Match(stem);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Success ? match.Groups[2].Value : null) : (stem, null);
    }

    /// <summary>A rolling log part <c>events_&lt;N&gt;_&lt;appId&gt;[.codec][.compact]</c>: its index, or <c>null</c> for another file.</summary>
    public static long? RollingIndex(string fileName)
    {
        var match = RollingPart().Match(Parse(fileName).Stem);
        return match.Success && long.TryParse(match.Groups[1].Value, out var index) ? index : null;
    }

    private static bool TrimSuffix(ref string name, string suffix)
    {
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return false;
        name = name[..^suffix.Length];
        return true;
    }

    [GeneratedRegex(@"^(application_\d+_\d+)(?:_(.+))?$")]
    private static partial Regex YarnId();

    [GeneratedRegex(@"^(.+?)(?:_(\d+))?$")]
    private static partial Regex OtherId();

    [GeneratedRegex(@"^events_(\d+)_.+$")]
    private static partial Regex RollingPart();
}
