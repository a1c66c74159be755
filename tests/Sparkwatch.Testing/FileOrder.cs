namespace Sparkwatch.Testing;

/// <summary>What an event log sent by import, replay or follow must read back as: the file, line for line (secrets redacted).</summary>
public static class FileOrder
{
    /// <summary>Where <paramref name="served"/> first departs from <paramref name="fileLines"/> (environment updates redacted), or null when it does not.</summary>
    public static string? FirstDifference(IReadOnlyList<string> fileLines, IReadOnlyList<string> served)
    {
        for (var i = 0; i < Math.Min(fileLines.Count, served.Count); i++)
        {
            if (SparkEventLog.Redacted(fileLines[i]) != served[i]) return $"event {i} is not line {i + 1} of the file: {served[i][..Math.Min(160, served[i].Length)]}";
        }
        return fileLines.Count == served.Count ? null : $"{served.Count} events served, {fileLines.Count} lines in the file";
    }
}
