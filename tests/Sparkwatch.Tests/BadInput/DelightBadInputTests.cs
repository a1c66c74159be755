using System.Net;
using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>The Delight agent's envelope faults get 400 (never 500); a bad line is quarantined and the rest stored.</summary>
public sealed class DelightBadInputTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string suffix, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        return _server.Client.PostAsync("/collector/" + suffix, content);
    }

    private static string Data(params string[] lines) => Convert.ToBase64String(ListenerClient.Gzip(string.Concat(lines.Select(l => l + "\n"))));

    public static TheoryData<string, string> SignalsAndInvalidText() => new()
    {
        { "bulk", "xff" }, { "bulk", "ud800" }, { "bulk", "udc00" },
        { "heartbeat", "xff" }, { "heartbeat", "ud800" }, { "heartbeat", "udc00" },
        { "ack", "xff" }, { "ack", "ud800" },
    };

    [Theory]
    [MemberData(nameof(SignalsAndInvalidText))]
    public async Task A_dmAppId_that_is_not_text_gets_400(string suffix, string invalid)
    {
        var template = $$"""{"dmAppId":"app-@BAD@","sentAt":1,"counters":{"messageCounter":1,"payloadCounter":1},"data":"{{Data("{\"Event\":\"E\"}")}}"}""";

        using var response = await PostAsync(suffix, Answers.WithRawBytes(template, Answers.InvalidText[invalid]));

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, "\"dmAppId\" is not text");
        await Answers.AssertNothingStoredAsync(_server);
    }

    [Theory]
    [InlineData("9223372036854775807", "MaxMessageCounter")]
    [InlineData("-1", "negative")]
    public async Task An_absurd_message_counter_gets_400(string counter, string reason)
    {
        var body = $$"""{"dmAppId":"app","sentAt":1,"counters":{"messageCounter":{{counter}},"payloadCounter":1},"data":"{{Data("{\"Event\":\"E\"}")}}"}""";

        using var response = await PostAsync("bulk", Encoding.UTF8.GetBytes(body));

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
        await Answers.AssertNothingStoredAsync(_server);
    }

    [Fact]
    public async Task A_line_that_is_not_text_is_quarantined_and_the_rest_stored()
    {
        var lines = new List<byte[]>
        {
            "{\"Event\":\"SparkListenerJobStart\"}"u8.ToArray(),
            Answers.WithRawBytes("{\"Event\":\"SparkListenerEnvironmentUpdate\",\"Spark Properties\":{\"k\":\"@BAD@\"}}", [0xC3, 0x28]),
            "{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"a\\u0000\",\"Timestamp\":1}"u8.ToArray(),
            "{\"Event\":\"SparkListenerJobEnd\"}"u8.ToArray(),
        };
        var data = Convert.ToBase64String(Answers.Gzip([.. lines.SelectMany(l => l.Append((byte)'\n'))]));
        var body = $$"""{"dmAppId":"app","sentAt":1,"counters":{"messageCounter":4,"payloadCounter":1},"data":"{{data}}"}""";

        using var response = await PostAsync("bulk", Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var api = new SparkwatchApi(_server.Client);
        Assert.Equal(["{\"Event\":\"SparkListenerJobStart\"}", "{\"Event\":\"SparkListenerJobEnd\"}"], await api.EventsAsync("app", "app"));
        var quarantined = (await api.GetJsonAsync("/job/app/app/quarantine")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([2L, 3L], quarantined.Select(q => q.GetProperty("seq").GetInt64()));
        Assert.Contains("not valid UTF-8", quarantined[0].GetProperty("reason").GetString());
        Assert.Contains("NUL", quarantined[1].GetProperty("reason").GetString());
    }
}
