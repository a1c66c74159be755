using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sparkwatch.Testing;

/// <summary>
/// A real <c>nats-server</c> with JetStream on a free loopback port, its store in a temp folder; killable (SIGKILL) and
/// restartable on the same port and store, as a broker that crashes and comes back.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    /// <summary>The Debian package that provides the server.</summary>
    public const string DebianPackage = "nats-server";

    private readonly TempFolder _folder = TestPaths.NewTempFolder();
    private readonly StringBuilder _output = new();
    private Process? _process;

    private NatsServer(int port, string maxPayload)
    {
        Port = port;
        File.WriteAllText(ConfigPath, $$"""
            listen: 127.0.0.1:{{port}}
            max_payload: {{maxPayload}}
            jetstream {
              store_dir: "{{Path.Combine(_folder.Path, "store")}}"
              max_file_store: 1GB
              max_memory_store: 64MB
            }
            """);
    }

    /// <summary>The client port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The URL clients connect to.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private string ConfigPath => Path.Combine(_folder.Path, "nats.conf");

    /// <summary>A server on a free port, not started yet (<see cref="RestartAsync"/> starts it); <paramref name="maxPayload"/> is its largest message.</summary>
    public static NatsServer Create(string maxPayload = "8MB") => new(ServiceProcess.FreeLoopbackPort(), maxPayload);

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<NatsServer> StartAsync(string maxPayload = "8MB")
    {
        var server = Create(maxPayload);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port and store; returns once it takes connections.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("nats-server is running already.");
        _process?.Dispose();
        var start = new ProcessStartInfo(FindExecutable(), ["-c", ConfigPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"nats-server exited with {_process.ExitCode}: {Output}");
            // It logs this line once JetStream has recovered its streams and the client port is open.
            if (Output.Contains("Server is ready", StringComparison.Ordinal) && await AcceptsAsync()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"nats-server did not become ready within 30 s: {Output}");
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false }) return;
        _process.Kill();
        _process.WaitForExit();
        lock (_output) _output.Clear();
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string FindExecutable() =>
        new[] { "/usr/bin/nats-server", "/usr/local/bin/nats-server", "/usr/sbin/nats-server" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"nats-server is not installed: install the Debian package '{DebianPackage}' (apt-get install {DebianPackage}); scripts/test.sh installs it when missing.");

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
