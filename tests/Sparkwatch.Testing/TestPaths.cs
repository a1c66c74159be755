namespace Sparkwatch.Testing;

/// <summary>Where the repository and the shared real data are, wherever the tests run from.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding Sparkwatch.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary><c>../shared/data</c> beside the repository: real data nobody here wrote.</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>The capture of the Data Mechanics listener's traffic, one request body a line.</summary>
    public static string ListenerCapture => Path.Combine(SharedData, "dm-listener-capture.ndjson");

    /// <summary>Spark's own History Server test logs.</summary>
    public static string SparkEvents => Path.Combine(SharedData, "spark-events");

    /// <summary>A Spark 3.0 event log from Kubernetes.</summary>
    public static string DelightExampleLog => Path.Combine(SharedData, "delight-example-spark3.eventlog");

    /// <summary>A new empty folder under the temp directory, deleted by the returned handle.</summary>
    public static TempFolder NewTempFolder() => new();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sparkwatch.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Sparkwatch.slnx above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A temp folder that deletes itself.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempFolder() => Directory.CreateDirectory(Path);

    /// <summary>The folder's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sparkwatch-tests", Guid.NewGuid().ToString("N"));

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
