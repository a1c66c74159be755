using System.Net;
using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>Health, the API description and the API key check.</summary>
public sealed class ServiceSurfaceTests
{
    [Fact]
    public async Task Liveness_and_readiness_answer_200()
    {
        await using var server = await ServerUnderTest.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Readiness_fails_when_the_store_is_gone()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await TestStore.BreakAsync(server.DataDirectory);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var document = await new SparkwatchApi(server.Client).GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        string[] expected = ["/collect", "/job", "/job/{job_name}", "/job/{job_name}/{run_id}", "/job/{job_name}/{run_id}/events",
            "/job/{job_name}/{run_id}/duration", "/job/{job_name}/{run_id}/quarantine", "/search", "/health", "/health/ready"];
        Assert.Subset(paths, expected.ToHashSet());
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post"))
            {
                Assert.True(operation.Value.TryGetProperty("summary", out _), $"{operation.Name} {path.Name} has no summary");
            }
        }
    }

    [Fact]
    public async Task The_browsable_api_page_is_served()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var html = await server.Client.GetStringAsync("/docs/");
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/v1.json", html);
    }

    [Fact]
    public async Task A_wrong_api_key_is_refused_when_keys_are_configured()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--api-key", "right-key");
        var payload = ListenerClient.Gzip(ListenerEnvelope.Build("j", "r", 1, Message.Event(1)));

        using var wrong = await new ListenerClient(server.Client).PostBytesAsync(payload, gzip: true);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("X-API-key", JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/collect") { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Add("X-API-key", "right-key");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request)).StatusCode);
    }
}
