using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sparkwatch.Testing;

/// <summary>
/// A PostgreSQL server of the test run's own: <c>initdb</c> in a temp folder, <c>pg_ctl start</c> on a free loopback
/// port, stopped when the test process exits. As root (CI), the server runs as the <c>postgres</c> OS user, since
/// PostgreSQL refuses to run as root. Each test takes a fresh schema of its own (<see cref="NewSchemaAsync"/>).
/// </summary>
public sealed class PrivatePostgres
{
    /// <summary>The Debian package that provides the server binaries.</summary>
    public const string DebianPackage = "postgresql";

    private static readonly Lazy<Task<PrivatePostgres>> Shared = new(StartAsync);
    private readonly string _folder;
    private readonly string _binDirectory;

    private PrivatePostgres(string folder, string binDirectory, int port)
    {
        _folder = folder;
        _binDirectory = binDirectory;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Connection string of the server's <c>postgres</c> database as superuser.</summary>
    public string ConnectionString { get; }

    /// <summary>The server shared by the whole test run, started on first use.</summary>
    public static Task<PrivatePostgres> InstanceAsync() => Shared.Value;

    /// <summary>Creates an empty schema and returns a connection string whose tables land in it.</summary>
    public async Task<string> NewSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return $"{ConnectionString};Search Path={schema}";
    }

    private static async Task<PrivatePostgres> StartAsync()
    {
        var binDirectory = FindBinDirectory();
        RemoveStoppedLeftovers();
        var folder = Path.Combine(Path.GetTempPath(), "sparkwatch-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (RunningAsRoot) await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(binDirectory, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);
        var port = FreePort();
        // Durability settings are off: the tests check semantics, and the machine is shared.
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", serverOptions, "start"], asPostgres: true);
        var server = new PrivatePostgres(folder, binDirectory, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        try
        {
            RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true).GetAwaiter().GetResult();
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Stopping the private PostgreSQL in {_folder} failed: {e.Message}");
        }
    }

    // A test process that is killed cannot clean up after itself; the next run removes folders of stopped servers.
    private static void RemoveStoppedLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "sparkwatch-pg-*"))
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid"))) continue;
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no {root}/<version>/bin/initdb): install the Debian package '{DebianPackage}' " +
            $"(apt-get install {DebianPackage}); scripts/test.sh installs it when missing.");
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres && RunningAsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (asPostgres && RunningAsRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(prefix);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
