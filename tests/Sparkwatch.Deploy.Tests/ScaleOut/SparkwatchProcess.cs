using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.ScaleOut;

/// <summary>The built service (<c>dotnet Sparkwatch.dll</c>) as a real OS process with one role, on its own loopback port.</summary>
public sealed class SparkwatchProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SparkwatchProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the service with <paramref name="role"/> over PostgreSQL and waits until it is ready.</summary>
    public static async Task<SparkwatchProcess> StartAsync(string role, string postgresConnectionString, string dataDirectory)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            ServiceDll, "--listen", $"http://127.0.0.1:{port}", "--role", role, "--store", "postgres", "--data-dir", dataDirectory,
            $"--Sparkwatch:Postgres:ConnectionString={postgresConnectionString}", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var service = new SparkwatchProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitReadyAsync();
        return service;
    }

    /// <summary>Kills the process at once, as a crash or an evicted pod would end it.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited) Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static string ServiceDll
    {
        get
        {
            // The test runs from tests/<project>/bin/<Configuration>/<tfm>/; the service is built beside it in the same configuration.
            var tfmFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(TestPaths.RepositoryRoot, "src", "Sparkwatch", "bin", tfmFolder.Parent!.Name, tfmFolder.Name, "Sparkwatch.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the service is not built.", path);
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode}: {Output}");
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The service at {BaseAddress} was not ready within 60 s: {Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
