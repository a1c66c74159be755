using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sparkwatch.Hosting;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Security;

/// <summary>The service warns at start-up when it listens beyond loopback while ingest or reads need no key.</summary>
public sealed class OpenAccessWarningTests
{
    [Fact]
    public async Task Listening_on_all_interfaces_without_keys_is_warned_about()
    {
        var warnings = await StartupWarningsAsync("http://0.0.0.0:0");

        var warning = Assert.Single(warnings, w => w.Contains("beyond loopback"));
        Assert.Contains("Sparkwatch:ApiKeys", warning);
        Assert.Contains("Sparkwatch:ReadApiKeys", warning);
    }

    [Fact]
    public async Task Listening_on_all_interfaces_with_an_ingest_key_only_warns_about_nothing()
    {
        Assert.DoesNotContain(await StartupWarningsAsync("http://0.0.0.0:0", "--api-key", "k"), w => w.Contains("beyond loopback"));
    }

    [Fact]
    public async Task Listening_on_loopback_without_keys_is_not_warned_about()
    {
        Assert.DoesNotContain(await StartupWarningsAsync("http://127.0.0.1:0"), w => w.Contains("beyond loopback"));
    }

    private static async Task<List<string>> StartupWarningsAsync(string listen, params string[] extraArgs)
    {
        using var folder = TestPaths.NewTempFolder();
        var server = SparkwatchServer.Create(["--listen", listen, "--data-dir", folder.Path, .. await TestStore.ServerArgsAsync(folder.Path), .. extraArgs]);
        var log = new WarningLog();
        server.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await using (server)
        {
            await server.StartAsync();
        }
        return [.. log.Warnings];
    }

    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Warnings.Enqueue(formatter(state, exception));
        }

        public void Dispose()
        {
        }
    }
}
