using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Sparkwatch.Commands;
using Sparkwatch.Testing;

namespace Sparkwatch.Senders.Tests;

/// <summary>`replay` retries refused and failed payloads with back-off, honouring Retry-After.</summary>
public sealed class ReplayRetryTests
{
    private static readonly string Log = TestPaths.DelightExampleLog;
    private static readonly (string Job, string Run) Run = SharedLogs.ExpectedRun(SharedLogs.Named("delight-example-spark3.eventlog"));

    [Fact]
    public async Task A_refused_key_fails_after_the_allowed_attempts_and_the_right_key_then_succeeds()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--api-key", "right");
        server.Client.DefaultRequestHeaders.Add("X-API-key", "right"); // the key reads too
        var console = new TestConsole();
        var exit = await ReplayCommand.RunAsync([Log, "--url", server.BaseAddress.ToString(), "--api-key", "wrong", "--max-attempts", "3", "--retry-delay", "10"], console.Console);
        Assert.Equal(1, exit);
        Assert.Contains("401", console.Output);
        Assert.Contains("3 times", console.Output);
        Assert.Null(await RunReader.RunAsync(server.Client, Run.Job, Run.Run));

        exit = await ReplayCommand.RunAsync([Log, "--url", server.BaseAddress.ToString(), "--api-key", "right", "--retry-delay", "10"], new TestConsole().Console);
        Assert.Equal(0, exit);
        Assert.Equal(418, (await RunReader.RunAsync(server.Client, Run.Job, Run.Run))!["event_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_collector_that_is_not_up_yet_is_retried_until_it_answers()
    {
        var port = FreePort();
        var console = new TestConsole();
        var replay = ReplayCommand.RunAsync([Log, "--url", $"http://127.0.0.1:{port}/collect", "--retry-delay", "20", "--retry-max-delay", "100", "--max-attempts", "0"], console.Console);
        await Task.Delay(400);
        Assert.False(replay.IsCompleted);
        await using var server = await ServerUnderTest.StartAsync(null, "--listen", $"http://127.0.0.1:{port}");
        Assert.Equal(0, await replay.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(418, (await RunReader.RunAsync(server.Client, Run.Job, Run.Run))!["event_count"]!.GetValue<long>());
        Assert.Matches(@"with [1-9]\d* retries", console.Output);
    }

    [Fact]
    public async Task Retry_after_on_503_is_honoured()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await using var gate = await RefusingProxy.StartAsync(server.BaseAddress, refusals: 1);
        var clock = Stopwatch.StartNew();
        var exit = await ReplayCommand.RunAsync([Log, "--url", gate.Url + "collect", "--retry-delay", "10", "--batch", "1000"], new TestConsole().Console);
        Assert.Equal(0, exit);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"took {clock.Elapsed}, so the 1 s Retry-After was not waited for");
        Assert.Equal(2, gate.Requests);
        Assert.Equal(418, (await RunReader.RunAsync(server.Client, Run.Job, Run.Run))!["event_count"]!.GetValue<long>());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A collector front that answers 503 with Retry-After: 1 to the first requests, then forwards to the real server.</summary>
    private sealed class RefusingProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private RefusingProxy(WebApplication app) => _app = app;

        public int Requests => _requests;

        public string Url => _app.Urls.First() + "/";

        public static async Task<RefusingProxy> StartAsync(Uri target, int refusals)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var proxy = new RefusingProxy(app);
            var forward = new HttpClient { BaseAddress = target };
            app.MapPost("/collect", async (HttpContext context) =>
            {
                if (Interlocked.Increment(ref proxy._requests) <= refusals)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    return;
                }
                var content = new StreamContent(context.Request.Body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                content.Headers.ContentEncoding.Add(context.Request.Headers.ContentEncoding.ToString());
                using var response = await forward.PostAsync("/collect", content);
                context.Response.StatusCode = (int)response.StatusCode;
                await response.Content.CopyToAsync(context.Response.Body);
            });
            await app.StartAsync();
            return proxy;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
