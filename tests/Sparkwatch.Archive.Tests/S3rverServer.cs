using System.Diagnostics;

using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>
/// A real S3-compatible server (s3rver, from npm) on a free loopback port with one bucket, <see cref="Bucket"/>, its data
/// in a temporary folder. scripts/test.sh installs s3rver into ~/.cache/sparkwatch/s3rver; when it is missing, the first
/// fixture installs it there with npm. Use it as a class fixture.
/// </summary>
public sealed class S3rverServer : IAsyncLifetime
{
    /// <summary>The version scripts/test.sh installs.</summary>
    public const string Version = "3.7.1";

    /// <summary>The bucket created at start.</summary>
    public const string Bucket = "archive";

    /// <summary>s3rver's fixed credentials.</summary>
    public const string AccessKey = "S3RVER";

    private static readonly string InstallFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sparkwatch", "s3rver");
    private readonly TempFolder _data = new();
    private Process? _process;

    /// <summary>The server's endpoint.</summary>
    public string ServiceUrl { get; private set; } = "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var script = Path.Combine(InstallFolder, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) await RunAsync("npm", "install", "--no-audit", "--no-fund", "--prefix", InstallFolder, $"s3rver@{Version}");
        var port = ServiceProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "-d", _data.Path, "-a", "127.0.0.1", "-p", port.ToString(), "-s", "--no-vhost-buckets", "--configure-bucket", Bucket }) start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ServiceUrl = $"http://127.0.0.1:{port}";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} while starting.");
            try
            {
                using var http = new HttpClient();
                // Any HTTP answer (403 for an unsigned request) means it listens and created the bucket.
                await http.GetAsync($"{ServiceUrl}/{Bucket}");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("s3rver did not answer within 30 s.");
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {await errors}{await output}");
    }
}
