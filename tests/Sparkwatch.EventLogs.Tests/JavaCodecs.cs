using System.Diagnostics;
using Sparkwatch.Testing;

namespace Sparkwatch.EventLogs.Tests;

/// <summary>One file for the Java compressor: <paramref name="FlushEveryLines"/> mimics the event logger's flushes;
/// without <paramref name="Close"/> the stream is flushed but never finished, like a log still being written.</summary>
public sealed record CompressionJob(string Codec, string Input, string Output, int FlushEveryLines = 10, bool Close = true);

/// <summary>
/// Compresses and decompresses files with the very Java libraries Spark uses (Debian's lz4-java, snappy-java, zstd-jni, compress-lzf),
/// framed as Spark's CompressionCodec frames them. The Java sources are compiled once per test run.
/// </summary>
public static class JavaCodecs
{
    /// <summary>The jars in /usr/share/java and the Debian packages that install them.</summary>
    private static readonly (string Jar, string Package)[] Jars =
    [
        ("lz4-java.jar", "liblz4-java"), ("snappy-java.jar", "libsnappy-java"),
        ("zstd-jni.jar", "libzstd-jni-java"), ("compress-lzf.jar", "libcompress-lzf-java"),
    ];

    /// <summary>Spark's short codec names.</summary>
    public static readonly string[] Codecs = ["lz4", "lzf", "snappy", "zstd"];

    private static readonly Lazy<string> ClassPath = new(Compile);

    /// <summary>Runs the compressor once for all <paramref name="jobs"/>.</summary>
    public static void Compress(params CompressionJob[] jobs)
    {
        var args = new List<string> { "-cp", ClassPath.Value, "SparkCodecCompress" };
        args.AddRange(jobs.Select(j => string.Join(',', j.Codec, j.Input, j.Output, j.FlushEveryLines, j.Close ? "true" : "false")));
        Run(Tool("java"), args);
    }

    /// <summary>Decompresses each (codec, input, output) with Spark's own codec classes, in one JVM.</summary>
    public static void Decompress(params (string Codec, string Input, string Output)[] jobs)
    {
        var args = new List<string> { "-cp", ClassPath.Value, "SparkCodecDecompress" };
        args.AddRange(jobs.Select(j => string.Join(',', j.Codec, j.Input, j.Output)));
        Run(Tool("java"), args);
    }

    private static string Compile()
    {
        var missing = Jars.Where(j => !File.Exists(JarPath(j.Jar))).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"Missing {string.Join(", ", missing.Select(m => JarPath(m.Jar)))}: install the Debian package(s) {string.Join(" ", missing.Select(m => m.Package))} (apt-get install {string.Join(" ", missing.Select(m => m.Package))}).");
        }
        var output = Path.Combine(Path.GetTempPath(), "sparkwatch-java", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(output, recursive: true); } catch (IOException) { } };
        var jars = string.Join(':', Jars.Select(j => JarPath(j.Jar)));
        var sources = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "Sparkwatch.EventLogs.Tests", "java"), "*.java");
        Run(Tool("javac"), ["-d", output, "-cp", jars, .. sources]);
        return $"{output}:{jars}";
    }

    private static string JarPath(string jar) => Path.Combine("/usr/share/java", jar);

    private static string Tool(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException($"'{name}' is not on PATH: install the Debian package openjdk-17-jdk-headless.");
    }

    private static void Run(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within 2 minutes.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
    }
}
