using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sparkwatch.Bench;

/// <summary>
/// The server under test as a child process (<c>dotnet Sparkwatch.dll --listen … --data-dir …</c>), so that the RSS
/// read from <c>/proc/&lt;pid&gt;/status</c> is the server's alone, not the load generator's.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly System.Text.StringBuilder _errors;

    private ServerProcess(Process process, Uri baseAddress, TimeSpan startup, System.Text.StringBuilder errors)
    {
        _process = process;
        _errors = errors;
        BaseAddress = baseAddress;
        Startup = startup;
    }

    public Uri BaseAddress { get; }

    /// <summary>Time from process start until <c>/health/ready</c> (the store answers) returned 200.</summary>
    public TimeSpan Startup { get; }

    public int Pid => _process.Id;

    /// <summary>Why the server is gone, when it is (its exit code and what it wrote to stderr); else null.</summary>
    public string? ExitReport
    {
        get
        {
            if (!_process.HasExited) return null;
            lock (_errors) return $"the server exited with code {_process.ExitCode}: {_errors}";
        }
    }

    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, IEnumerable<string> extraArgs)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[serverDll, "--listen", baseAddress.ToString().TrimEnd('/'), "--data-dir", dataDirectory, "--Logging:LogLevel:Default=Warning", .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"The server exited with {process.ExitCode}: {errors}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return new ServerProcess(process, baseAddress, clock.Elapsed, errors);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(10);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The server did not answer /health/ready within 60 s: {errors}");
    }

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM), so the next <see cref="PeakRssBytes"/> covers one phase.</summary>
    public void ResetPeakRss()
    {
        try { File.WriteAllText($"/proc/{Pid}/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public long PeakRssBytes => ProcStatus.Read(Pid, "VmHWM:");

    public long RssBytes => ProcStatus.Read(Pid, "VmRSS:");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully (the writer drains its queue).
            Process.Start("kill", ["-TERM", Pid.ToString()])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Reads memory figures of a process from <c>/proc/&lt;pid&gt;/status</c> (Linux).</summary>
internal static class ProcStatus
{
    public static long Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb) * 1024;
            }
        }
        catch (IOException) { }
        return 0;
    }
}
