using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>The real server on loopback with its errors collected, and the checks every fuzzed answer must pass.</summary>
public sealed class FuzzServer : IAsyncDisposable
{
    private FuzzServer(ServerUnderTest server, LoggedErrors errors)
    {
        Server = server;
        Errors = errors;
        Listener = new ListenerClient(server.Client);
        Api = new SparkwatchApi(server.Client);
        Delight = new DelightPoster(server.Client);
    }

    /// <summary>The server.</summary>
    public ServerUnderTest Server { get; }

    /// <summary>What it logged at Error or above.</summary>
    public LoggedErrors Errors { get; }

    /// <summary>A listener-style client.</summary>
    public ListenerClient Listener { get; }

    /// <summary>A Delight-agent-style client.</summary>
    public DelightPoster Delight { get; }

    /// <summary>The read API.</summary>
    public SparkwatchApi Api { get; }

    /// <summary>Starts a server (SQLite or PostgreSQL as the suite runs) with <paramref name="extraArgs"/>.</summary>
    public static async Task<FuzzServer> StartAsync(params string[] extraArgs)
    {
        var server = await ServerUnderTest.StartAsync(null, extraArgs);
        var errors = new LoggedErrors();
        // Loggers made before this are updated too: the factory hands them the new provider.
        server.Server.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(errors);
        return new FuzzServer(server, errors);
    }

    /// <summary>
    /// The rules for any answer to any input: never a 5xx (these inputs are small and sent one at a time, so not even
    /// the memory budget's 503), a refusal is an RFC 9457 problem that says why, and nothing was logged as an error.
    /// </summary>
    public async Task<string> CheckAnswerAsync(HttpResponseMessage response, string input)
    {
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status >= 500) throw new FuzzAssertionException($"answered {status} to {input}: {body}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var problem = TryParse(body);
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || problem?.TryGetProperty("detail", out var detail) != true || detail.GetString() is not { Length: > 0 })
            {
                throw new FuzzAssertionException($"answered {status} without a problem body that says why to {input}: '{body}'");
            }
        }
        if (Errors.All.Count > 0) throw new FuzzAssertionException($"logged an error for {input}: {string.Join("\n", Errors.All)}");
        return body;
    }

    private static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Posts bodies to <c>/collector/bulk</c> the way the Delight agent does (<c>text/plain</c>).</summary>
public sealed class DelightPoster(HttpClient http)
{
    /// <summary>POSTs <paramref name="body"/> as it is.</summary>
    public Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        return http.PostAsync("/collector/bulk", content);
    }
}

/// <summary>A fuzzed input broke one of the service's rules; the message holds the input.</summary>
public sealed class FuzzAssertionException(string message) : Exception(message);
