using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

/// <summary>
/// Real logs compressed by the Java libraries with each codec, made once per test run in one JVM start:
/// finished streams of two logs, and an unfinished (never closed) stream of one.
/// </summary>
public static class CompressedSamples
{
    /// <summary>The real logs compressed: a 418-line Spark 3 log, and a short one without a final newline.</summary>
    public static readonly string[] Sources =
    [
        TestPaths.DelightExampleLog,
        Path.Combine(TestPaths.SparkEvents, "local-1430917381535_1"),
    ];

    private static readonly Lazy<string> Folder = new(Make);

    /// <summary>The finished stream of <paramref name="source"/> compressed with <paramref name="codec"/>.</summary>
    public static string Finished(string codec, string source) => Path.Combine(Folder.Value, $"{Path.GetFileName(source)}.{codec}");

    /// <summary>The delight log compressed with <paramref name="codec"/>, flushed every 25 lines but never closed.</summary>
    public static string Unfinished(string codec) => Path.Combine(Folder.Value, $"unfinished.{codec}");

    private static string Make()
    {
        var folder = TestPaths.NewTempFolder().Path;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } };
        var jobs = new List<CompressionJob>();
        foreach (var codec in JavaCodecs.Codecs)
        {
            // Different flush rhythms give streams of many small blocks and of full ones.
            jobs.Add(new CompressionJob(codec, Sources[0], Path.Combine(folder, $"{Path.GetFileName(Sources[0])}.{codec}"), FlushEveryLines: 7));
            jobs.Add(new CompressionJob(codec, Sources[1], Path.Combine(folder, $"{Path.GetFileName(Sources[1])}.{codec}"), FlushEveryLines: 1000));
            jobs.Add(new CompressionJob(codec, Sources[0], Path.Combine(folder, $"unfinished.{codec}"), FlushEveryLines: 25, Close: false));
        }
        JavaCodecs.Compress([.. jobs]);
        return folder;
    }
}
