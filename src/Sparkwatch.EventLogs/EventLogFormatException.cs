namespace Sparkwatch.EventLogs;

/// <summary>A compressed event log that cannot be decoded: truncated or corrupt. The message names the file and the byte offset.</summary>
public sealed class EventLogFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> at compressed byte <paramref name="offset"/>.</summary>
    public EventLogFormatException(string path, long offset, string reason, Exception? inner = null)
        : base($"{path}: {reason} (at byte {offset} of the file)", inner)
    {
        Path = path;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The file that could not be decoded.</summary>
    public string Path { get; }

    /// <summary>Offset in the file (compressed bytes) of the block or frame where decoding failed.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, in words.</summary>
    public string Reason { get; }
}
