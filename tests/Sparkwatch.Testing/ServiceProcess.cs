using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sparkwatch.Testing;

/// <summary>The real executable in its own process on a free loopback port, for tests that kill it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The process's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for it.</summary>
    public HttpClient Client { get; }

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <c>dotnet Sparkwatch.dll</c> (built beside the tests) with the arguments and waits until it is ready.</summary>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, params string[] extraArgs)
    {
        var port = FreeLoopbackPort();
        var storeArgs = await TestStore.ServerArgsAsync(dataDirectory);
        return await StartAtAsync(new Uri($"http://127.0.0.1:{port}/"), new Dictionary<string, string?>(),
            ["--listen", $"http://127.0.0.1:{port}", "--data-dir", dataDirectory, .. storeArgs, .. extraArgs]);
    }

    /// <summary>
    /// Starts <c>dotnet Sparkwatch.dll</c> with exactly <paramref name="args"/> and <paramref name="environment"/> (the
    /// caller says where to listen, in whatever form) and waits until it is ready at <paramref name="baseAddress"/>.
    /// </summary>
    public static async Task<ServiceProcess> StartAtAsync(Uri baseAddress, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var process = Process.Start(StartInfo(environment, args)) ?? throw new InvalidOperationException("dotnet did not start");
        var service = new ServiceProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"Sparkwatch exited with code {process.ExitCode} while starting: {service.Output}");
            try
            {
                if ((await service.Client.GetAsync("/health/ready")).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        await service.DisposeAsync();
        throw new TimeoutException($"Sparkwatch did not become ready within 60 s: {service.Output}");
    }

    /// <summary>
    /// Runs <c>dotnet Sparkwatch.dll</c> with <paramref name="args"/> until it exits (killed after <paramref name="timeout"/>,
    /// exit code -1); returns its exit code and everything it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args)) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sparkwatch.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Only the addresses the test names: none inherited from the machine running the tests.
        foreach (var name in (string[])["ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "SPARKWATCH__LISTEN"]) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
