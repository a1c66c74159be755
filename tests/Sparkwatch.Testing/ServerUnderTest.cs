using Sparkwatch.Hosting;

namespace Sparkwatch.Testing;

/// <summary>The real service, in-process, on a free loopback port, over its own temp data folder.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly TempFolder? _ownedFolder;

    private ServerUnderTest(SparkwatchServer server, string dataDirectory, TempFolder? ownedFolder)
    {
        Server = server;
        DataDirectory = dataDirectory;
        _ownedFolder = ownedFolder;
        BaseAddress = new Uri(server.Addresses.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The running server.</summary>
    public SparkwatchServer Server { get; }

    /// <summary>Its data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Its base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for its base address.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a server; <paramref name="dataDirectory"/> defaults to a new temp folder deleted on dispose.</summary>
    public static async Task<ServerUnderTest> StartAsync(string? dataDirectory = null, params string[] extraArgs)
    {
        var owned = dataDirectory is null ? TestPaths.NewTempFolder() : null;
        var dir = dataDirectory ?? owned!.Path;
        var storeArgs = await TestStore.ServerArgsAsync(dir);
        var server = SparkwatchServer.Create(["--listen", "http://127.0.0.1:0", "--data-dir", dir, "--Logging:LogLevel:Default=Warning", "--Sparkwatch:RunModel=true", .. storeArgs, .. extraArgs]);
        await server.StartAsync();
        return new ServerUnderTest(server, dir, owned);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _ownedFolder?.Dispose();
    }
}
