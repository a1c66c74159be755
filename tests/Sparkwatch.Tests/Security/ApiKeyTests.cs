using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Security;

/// <summary>One server with separate ingest and read keys, and one run stored, shared by the key checks below.</summary>
public sealed class KeyedServer : IAsyncLifetime
{
    public const string IngestKey = "test-key"; // what ListenerClient sends
    public const string ReadKey = "read-key";

    public ServerUnderTest Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerUnderTest.StartAsync(null, "--api-key", IngestKey, "--read-api-key", ReadKey);
        await new ListenerClient(Server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(1000)));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>With keys configured, every endpoint but health and the API description needs one: ingest keys for ingest,
/// read keys for reads, and neither opens the other's endpoints.</summary>
public sealed class ApiKeyTests(KeyedServer keyed) : IClassFixture<KeyedServer>
{
    public enum Key { None, Wrong, Ingest, Read, ReadAsBearer }

    public static TheoryData<string, string, Key> Ingest => Cases(["/collect", "/collector/bulk", "/collector/heartbeat", "/collector/ack"], "POST");

    public static TheoryData<string, string, Key> Reads => Cases(["/job", "/job/job", "/job/job/run", "/job/job/run/events", "/job/job/run/duration", "/job/job/run/quarantine", "/search?q=job"], "GET");

    public static TheoryData<string, string, Key> Open => Cases(["/health", "/health/ready", "/openapi/v1.json", "/docs"], "GET");

    [Theory]
    [MemberData(nameof(Ingest))]
    public async Task Ingest_endpoints_take_only_ingest_keys(string method, string path, Key key)
    {
        using var response = await SendAsync(method, path, key);

        if (key == Key.Ingest) Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        else await AssertRefusedAsync(response, "Sparkwatch:ApiKeys");
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_endpoints_take_only_read_keys(string method, string path, Key key)
    {
        using var response = await SendAsync(method, path, key);

        if (key is Key.Read or Key.ReadAsBearer) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else await AssertRefusedAsync(response, "Sparkwatch:ReadApiKeys");
    }

    [Theory]
    [MemberData(nameof(Open))]
    public async Task Health_and_the_api_description_stay_open(string method, string path, Key key)
    {
        using var response = await SendAsync(method, path, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_endpoint_not_marked_open_refuses_a_request_without_a_key()
    {
        var endpoints = keyed.Server.Server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null).ToList();

        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            // "1" fits every parameter, names and numeric ids alike, so the route matches.
            var path = Regex.Replace(endpoint.RoutePattern.RawText!, @"\{[^}]*\}", "1");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var response = await SendAsync(method, path, Key.None);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a key");
            }
        }
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, Key key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        switch (key)
        {
            case Key.Wrong: request.Headers.Add("X-API-key", "not-a-key"); break;
            case Key.Ingest: request.Headers.Add("X-API-key", KeyedServer.IngestKey); break;
            case Key.Read: request.Headers.Add("X-API-key", KeyedServer.ReadKey); break;
            case Key.ReadAsBearer: request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeyedServer.ReadKey); break;
        }
        return keyed.Server.Client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string setting)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(setting, await response.Content.ReadAsStringAsync());
    }

    private static TheoryData<string, string, Key> Cases(string[] paths, string method)
    {
        var data = new TheoryData<string, string, Key>();
        foreach (var path in paths)
        {
            foreach (var key in Enum.GetValues<Key>()) data.Add(method, path, key);
        }
        return data;
    }
}

/// <summary>Ingest keys alone protect reads too (one key for everything), and a blank key opens nothing.</summary>
public sealed class IngestKeysAloneTests
{
    [Fact]
    public async Task Without_read_keys_the_ingest_keys_protect_reads()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--api-key", "test-key");
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(1000)));

        using var anonymous = await server.Client.GetAsync("/job/job/run/events");
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/job/job/run/events") { Headers = { { "X-API-key", "test-key" } } };
        using var withKey = await server.Client.SendAsync(keyed);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Sparkwatch:ApiKeys", await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task A_blank_configured_key_is_not_a_key()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--api-key", "test-key", "--Sparkwatch:ApiKeys:1= ");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/collect") { Headers = { { "X-API-key", " " } }, Content = new StringContent("{}") };

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
