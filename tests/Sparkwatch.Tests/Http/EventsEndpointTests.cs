using System.IO.Compression;
using System.Net.Http.Headers;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>The events endpoint: NDJSON, filters by type, gzip on request.</summary>
public sealed class EventsEndpointTests
{
    private static readonly SparkEventLog Log = SparkEventLog.Read(Path.Combine(TestPaths.SparkEvents, "application_1538416563558_0014"));

    private static async Task<ServerUnderTest> ServerWithLogAsync()
    {
        var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("job", "run", Log.Lines, 250)) await client.PostOkAsync(envelope);
        return server;
    }

    [Fact]
    public async Task Events_are_served_as_ndjson()
    {
        await using var server = await ServerWithLogAsync();
        using var response = await server.Client.GetAsync("/job/job/run/events");
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text);
        Assert.Equal(Log.Lines.Count, text.Count(c => c == '\n'));
    }

    [Fact]
    public async Task Events_of_every_size_around_the_response_chunk_are_served_whole_and_in_order()
    {
        // The stream gathers events into 64 KB chunks: events that fill one exactly, cross its end, or outgrow it.
        int[] padSizes = [10, 1_000, 65_500, 65_510, 65_536, 200_000, 5, 30_000, 40_000, 64_000, 1];
        var lines = padSizes.Select((pad, i) => $$"""{"Event":"com.example.PaddedEvent","Timestamp":{{1000 + i}},"pad":"{{new string((char)('a' + i), pad)}}"}""").ToList();
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        foreach (var envelope in ListenerClient.Envelopes("job", "padded", lines, 3)) await client.PostOkAsync(envelope);

        var text = await server.Client.GetStringAsync("/job/job/padded/events");

        Assert.Equal(string.Concat(lines.Select(l => l + "\n")), text);
    }

    [Fact]
    public async Task Filtering_by_types_returns_only_those_in_order()
    {
        await using var server = await ServerWithLogAsync();
        string[] types = ["SparkListenerJobStart", "SparkListenerStageCompleted"];
        var expected = Log.ExpectedServedLines().Where(l => types.Any(t => l.StartsWith($"{{\"Event\":\"{t}\""))).ToList();
        Assert.NotEmpty(expected);

        var served = await new SparkwatchApi(server.Client).EventsAsync("job", "run", types);

        Assert.Equal(expected, served);
    }

    [Fact]
    public async Task Filtering_by_an_unknown_type_returns_nothing()
    {
        await using var server = await ServerWithLogAsync();
        Assert.Empty(await new SparkwatchApi(server.Client).EventsAsync("job", "run", "NoSuchEvent"));
    }

    [Fact]
    public async Task Events_are_gzip_compressed_when_the_client_accepts_it()
    {
        await using var server = await ServerWithLogAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/job/job/run/events");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await server.Client.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var lines = new StreamReader(gzip).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Log.ExpectedServedLines(), lines);
    }
}
