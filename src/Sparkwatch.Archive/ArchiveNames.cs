using System.Security.Cryptography;
using System.Text;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Archive;

/// <summary>
/// Names in the archive. A run's log is Spark's rolling layout (Spark's <c>RollingEventLogFilesWriter</c>):
/// <c>eventlog_v2_&lt;stem&gt;/events_&lt;n&gt;_&lt;stem&gt;[.codec]</c> and <c>appstatus_&lt;stem&gt;[.inprogress]</c>, where the stem is Spark's
/// <c>&lt;appId&gt;[_&lt;attemptId&gt;]</c> followed by <c>_sw&lt;12 hex&gt;</c> of the run's job and id, so two runs with the same
/// application id never share a folder. The archive's own state lives under <c>.sparkwatch/</c>, which Spark skips (hidden).
/// </summary>
public static class ArchiveNames
{
    /// <summary>The folder of Sparkwatch's own files in the archive root.</summary>
    public const string StateFolder = ".sparkwatch/runs/";

    private const int MaxIdLength = 160;

    /// <summary>A stable key of the run, safe in any path: hex of a hash of its job name and run id.</summary>
    public static string RunHash(RunKey run)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{run.JobName.Length}:{run.JobName}{run.RunId}"));
        return Convert.ToHexStringLower(bytes)[..32];
    }

    /// <summary>
    /// The run's stem: its application id and attempt when it sent an application start, else its job name and run id,
    /// with every character Spark or a file system could trip on (anything but letters, digits, <c>-</c> and <c>_</c>; Spark
    /// takes the codec from the text after the last dot) made <c>-</c>, then the run's hash.
    /// </summary>
    public static string Stem(RunKey run, string? appId, string? attemptId)
    {
        var id = appId is null ? $"{run.JobName}-{run.RunId}" : attemptId is null ? appId : $"{appId}_{attemptId}";
        var safe = new StringBuilder(Math.Min(id.Length, MaxIdLength));
        foreach (var c in id.AsSpan(0, Math.Min(id.Length, MaxIdLength))) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        return $"{safe}_sw{RunHash(run)[..12]}";
    }

    /// <summary>The run's folder, a direct child of the root: what the History Server lists.</summary>
    public static string Directory(string stem) => $"eventlog_v2_{stem}";

    /// <summary>Part <paramref name="index"/> (from 1) of the run's log.</summary>
    public static string Part(string stem, int index, string? codec) => $"{Directory(stem)}/events_{index}_{stem}{(codec is null ? "" : "." + codec)}";

    /// <summary>The run's status marker: <c>.inprogress</c> until the application ends.</summary>
    public static string Status(string stem, bool inProgress) => $"{Directory(stem)}/appstatus_{stem}{(inProgress ? ".inprogress" : "")}";

    /// <summary>The run's archive state.</summary>
    public static string State(string runHash) => $"{StateFolder}{runHash}.json";

    /// <summary>The prefix of the run's open-part chunks.</summary>
    public static string ChunkPrefix(string runHash) => $"{StateFolder}{runHash}/";

    /// <summary>The chunk holding payloads <paramref name="first"/> to <paramref name="last"/> of the open part.</summary>
    public static string Chunk(string runHash, long first, long last) => $"{ChunkPrefix(runHash)}{first:D19}-{last:D19}.ndjson";
}
