using System.Text.RegularExpressions;
using Sparkwatch.Hosting;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Cli;

/// <summary>The real executable listens where ASP.NET Core's conventions say, in the documented order of precedence.</summary>
public sealed class ListenAddressTests : IDisposable
{
    private readonly TempFolder _data = TestPaths.NewTempFolder();

    [Fact]
    public Task Urls_flag_sets_the_address() => AssertListensAsync((port, _) => ([], ["--urls", Url(port)]));

    [Fact]
    public Task Listen_flag_is_an_alias_of_urls() => AssertListensAsync((port, _) => ([], ["--listen", Url(port)]));

    [Fact]
    public Task ASPNETCORE_URLS_sets_the_address() => AssertListensAsync((port, _) => (new() { ["ASPNETCORE_URLS"] = Url(port) }, []));

    [Fact]
    public Task ASPNETCORE_HTTP_PORTS_sets_the_port() => AssertListensAsync((port, _) => (new() { ["ASPNETCORE_HTTP_PORTS"] = $"{port}" }, []));

    [Fact]
    public Task Sparkwatch_Listen_setting_sets_the_address() => AssertListensAsync((port, _) => (new() { ["SPARKWATCH__LISTEN"] = Url(port) }, []));

    [Fact]
    public Task Urls_flag_wins_over_ASPNETCORE_URLS() =>
        AssertListensAsync((port, other) => (new() { ["ASPNETCORE_URLS"] = Url(other) }, ["--urls", Url(port)]));

    [Fact]
    public Task ASPNETCORE_URLS_wins_over_the_Sparkwatch_Listen_setting() =>
        AssertListensAsync((port, other) => (new() { ["ASPNETCORE_URLS"] = Url(port), ["SPARKWATCH__LISTEN"] = Url(other) }, []));

    [Fact]
    public Task Sparkwatch_Listen_setting_wins_over_ASPNETCORE_HTTP_PORTS() =>
        AssertListensAsync((port, other) => (new() { ["ASPNETCORE_HTTP_PORTS"] = $"{other}", ["SPARKWATCH__LISTEN"] = Url(port) }, []));

    [Fact]
    public void Default_address_is_localhost_5000()
    {
        // Not started (port 5000 may be taken on the machine running the tests): the address the host was told.
        var server = SparkwatchServer.Create(["--data-dir", _data.Path]);

        Assert.Equal("http://localhost:5000", server.App.Configuration["urls"]);
    }

    /// <summary>
    /// Starts the executable with the environment and arguments <paramref name="form"/> makes from two free ports; it
    /// must serve on the first and not listen on the second.
    /// </summary>
    private async Task AssertListensAsync(Func<int, int, (Dictionary<string, string?> Environment, string[] Args)> form)
    {
        var (port, other) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
        var (environment, args) = form(port, other);
        var storeArgs = await TestStore.ServerArgsAsync(_data.Path);

        await using var service = await ServiceProcess.StartAtAsync(new Uri(Url(port) + "/"), environment, ["--data-dir", _data.Path, .. storeArgs, .. args]);

        Assert.True((await service.Client.GetAsync("/job")).IsSuccessStatusCode, service.Output);
        // What the service itself says it bound: a connect to the other port could reach another process of the test run
        // that took the port after it was found free.
        var bound = Regex.Matches(service.Output, @"Now listening on: (\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(bound, address => address.EndsWith($":{port}", StringComparison.Ordinal));
        Assert.DoesNotContain(bound, address => address.EndsWith($":{other}", StringComparison.Ordinal));
    }

    private static string Url(int port) => $"http://127.0.0.1:{port}";

    public void Dispose() => _data.Dispose();
}
