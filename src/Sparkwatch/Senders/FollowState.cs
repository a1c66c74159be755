using System.Text.Json;

namespace Sparkwatch.Senders;

/// <summary>
/// What <c>follow</c> has sent, saved after every acknowledged payload so a restarted follower resumes exactly there:
/// per log its run and the listener's counters of its stream, per file how far it was sent.
/// </summary>
public sealed class FollowState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Logs by name (without <c>.inprogress</c>).</summary>
    public Dictionary<string, LogCursor> Logs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Files by path relative to the watched folder (without <c>.inprogress</c>).</summary>
    public Dictionary<string, PartCursor> Parts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Loads the state, or starts empty when the file does not exist yet.</summary>
    public static FollowState Load(string path)
    {
        if (!File.Exists(path)) return new FollowState();
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<FollowState>(stream, Json) ?? new FollowState();
    }

    /// <summary>Writes the state atomically (a new file renamed over the old), so a crash never leaves half a file.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>
/// A log's run, once known, the counters of its stream (each log is an application attempt, counted from 1 as a new
/// driver would, the way <c>import</c> and <c>replay</c> number it), and whether it has been sent completely.
/// </summary>
public sealed class LogCursor
{
    /// <summary>The run's job name.</summary>
    public string JobName { get; set; } = "";

    /// <summary>The run id.</summary>
    public string RunId { get; set; } = "";

    /// <summary>True once the log is finished and every line was sent.</summary>
    public bool Done { get; set; }

    /// <summary>Lines acknowledged: the listener's <c>message_counter</c>.</summary>
    public long MessageCounter { get; set; }

    /// <summary>Payloads acknowledged: the listener's <c>payload_counter</c>.</summary>
    public long PayloadCounter { get; set; }

    /// <summary>The latest <c>generated_at</c> given to a line.</summary>
    public long LastGeneratedAt { get; set; }
}

/// <summary>How far one file was sent: <see cref="Lines"/> lines after byte <see cref="Offset"/> (always 0 for compressed files).</summary>
public sealed class PartCursor
{
    /// <summary>Byte offset of a line start up to which everything was sent (uncompressed files only).</summary>
    public long Offset { get; set; }

    /// <summary>Lines sent after <see cref="Offset"/>.</summary>
    public long Lines { get; set; }

    /// <summary>True once the file is complete and every line was sent.</summary>
    public bool Done { get; set; }
}
