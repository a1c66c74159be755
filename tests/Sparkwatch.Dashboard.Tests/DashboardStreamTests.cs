using System.Net;
using Sparkwatch.Testing;

namespace Sparkwatch.Dashboard.Tests;

/// <summary>The dashboard's live stream over plain HTTP: bounded in number, and announced as server-sent events.</summary>
public sealed class DashboardStreamTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    /// <inheritdoc/>
    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Sixty_four_pages_can_follow_live_updates_and_the_next_one_is_told_the_server_is_busy()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 100 };
        using var client = new HttpClient(handler) { BaseAddress = _server.BaseAddress };
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 64; i++)
            {
                var response = await client.GetAsync("/ui/api/stream", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
                open.Add(response);
            }
            using var refused = await client.GetAsync("/ui/api/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            foreach (var response in open) response.Dispose();
        }
    }
}
