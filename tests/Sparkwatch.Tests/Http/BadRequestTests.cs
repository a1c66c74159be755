using System.Net;
using System.Text;
using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>Every refusal is a problem+json document that says why, and loses nothing else.</summary>
public sealed class BadRequestTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;
    private ListenerClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Limits:MaxBodyBytes=200000", "--Sparkwatch:Limits:MaxInflatedBytes=1000000");
        _client = new ListenerClient(_server.Client);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailFragment)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:sparkwatch:problem:", problem.GetProperty("type").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(detailFragment, detail);
        return detail;
    }

    public static TheoryData<string, string> BadEnvelopes() => new()
    {
        { "[1,2]", "must be a JSON object" },
        { "{\"job_name\":\"j\",\"run_id\":\"r\",\"messages\":[", "not valid JSON" },
        { "{\"run_id\":\"r\",\"messages\":[]}", "\"job_name\" is missing" },
        { "{\"job_name\":\"\",\"run_id\":\"r\",\"messages\":[]}", "\"job_name\" is empty" },
        { "{\"job_name\":\"j\",\"run_id\":\"  \",\"messages\":[]}", "\"run_id\" is empty" },
        { "{\"job_name\":42,\"run_id\":\"r\",\"messages\":[]}", "\"job_name\" must be a string" },
        { "{\"job_name\":\"j\",\"run_id\":\"r\"}", "\"messages\" is missing" },
        { "{\"job_name\":\"j\",\"run_id\":\"r\",\"messages\":{}}", "\"messages\" must be an array" },
        { "{\"job_name\":\"j\",\"run_id\":\"r\",\"counters\":{\"message_counter\":1},\"messages\":[{\"generated_at\":1,\"message_type\":\"heartbeat\"},{\"generated_at\":1,\"message_type\":\"heartbeat\"}]}", "less than the 2 messages" },
    };

    [Theory]
    [MemberData(nameof(BadEnvelopes))]
    public async Task An_undecodable_envelope_gets_400_saying_what_is_wrong(string body, string reason)
    {
        using var response = await _client.PostAsync(body);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task A_body_declared_gzip_that_is_not_gzip_gets_400()
    {
        using var response = await _client.PostBytesAsync(Encoding.UTF8.GetBytes("{\"job_name\":\"j\"}"), gzip: true);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "gzip");
    }

    [Fact]
    public async Task A_corrupt_gzip_body_gets_400()
    {
        var gzip = ListenerClient.Gzip(ListenerEnvelope.Build("j", "r", 1, Message.Event(1)));
        gzip[gzip.Length / 2] ^= 0xFF;
        gzip[gzip.Length / 2 + 1] ^= 0xFF;
        using var response = await _client.PostBytesAsync(gzip, gzip: true);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "gzip");
    }

    [Fact]
    public async Task A_plain_uncompressed_body_is_accepted()
    {
        using var response = await _client.PostBytesAsync(Encoding.UTF8.GetBytes(ListenerEnvelope.Build("plain", "r", 1, Message.Event(1))), gzip: false);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_gets_413_naming_the_limit()
    {
        var big = ListenerEnvelope.Build("j", "r", 1, Message.Event(1, extra: $",\"pad\":\"{new string('x', 300_000)}\""));
        using var response = await _client.PostBytesAsync(Encoding.UTF8.GetBytes(big), gzip: false);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "MaxBodyBytes");
    }

    [Fact]
    public async Task A_gzip_body_that_inflates_past_the_limit_gets_413_and_the_server_goes_on()
    {
        // 50 MB of zeros gzip to ~50 KB: under the body limit, far over the inflated limit.
        byte[] bomb;
        using (var output = new MemoryStream())
        {
            using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.SmallestSize))
            {
                var zeros = new byte[1 << 20];
                for (var i = 0; i < 50; i++) gzip.Write(zeros);
            }
            bomb = output.ToArray();
        }
        Assert.True(bomb.Length < 200_000);

        using var response = await _client.PostBytesAsync(bomb, gzip: true);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "MaxInflatedBytes");
        await _client.PostOkAsync(ListenerEnvelope.Build("after-bomb", "r", 1, Message.Event(1)));
    }

    [Fact]
    public async Task An_unknown_job_gets_404()
    {
        foreach (var path in new[] { "/job/nope", "/job/nope/r", "/job/nope/r/events", "/job/nope/r/duration" })
        {
            using var response = await _server.Client.GetAsync(path);
            await AssertProblemAsync(response, HttpStatusCode.NotFound, "No job named 'nope'");
        }
    }

    [Fact]
    public async Task An_unknown_run_of_a_known_job_gets_404()
    {
        await _client.PostOkAsync(ListenerEnvelope.Build("known", "r", 1, Message.Event(1)));
        foreach (var path in new[] { "/job/known/other", "/job/known/other/events", "/job/known/other/duration", "/job/known/other/quarantine" })
        {
            using var response = await _server.Client.GetAsync(path);
            await AssertProblemAsync(response, HttpStatusCode.NotFound, "has no run 'other'");
        }
    }

    [Fact]
    public async Task A_cursor_that_is_not_ours_gets_400()
    {
        using var response = await _server.Client.GetAsync("/job?cursor=%%%");
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task An_unsupported_content_encoding_gets_400()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
        content.Headers.ContentEncoding.Add("br");
        using var response = await _server.Client.PostAsync("/collect", content);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Content-Encoding 'br'");
    }
}
