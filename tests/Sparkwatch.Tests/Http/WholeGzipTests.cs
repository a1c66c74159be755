using System.Net;
using System.Text;
using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// A gzip body (and the Delight agent's gzip <c>data</c>) is one whole gzip member: cut short before its trailer, or
/// followed by other bytes, it is refused with 400 and nothing of it is stored. So is a Delight body with bytes after its JSON.
/// </summary>
public sealed class WholeGzipTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Damages() => ["trailer cut by 1", "trailer cut by 4", "trailer missing", "a newline after", "text after", "a second member after"];

    private static byte[] Damage(byte[] gzip, string damage) => damage switch
    {
        "trailer cut by 1" => gzip[..^1],
        "trailer cut by 4" => gzip[..^4],
        "trailer missing" => gzip[..^8],
        "a newline after" => [.. gzip, (byte)'\n'],
        "text after" => [.. gzip, .. "garbage"u8],
        "a second member after" => [.. gzip, .. IngestBodies.Gzip("{}"u8)],
        _ => throw new ArgumentOutOfRangeException(nameof(damage)),
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_listener_body_that_is_not_one_whole_gzip_member_gets_400_and_nothing_is_stored(string damage)
    {
        var job = "whole-gzip-" + damage.Replace(' ', '-');
        var gzip = IngestBodies.Gzip(Encoding.UTF8.GetBytes(ListenerEnvelope.Build(job, "r", 1, Message.Event(1))));

        using var response = await new ListenerClient(_server.Client).PostBytesAsync(Damage(gzip, damage), gzip: true);

        await AssertRefusedAsync(response, job);
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Delight_data_that_is_not_one_whole_gzip_member_gets_400_and_nothing_is_stored(string damage)
    {
        var app = "whole-gzip-delight-" + damage.Replace(' ', '-');
        var gzip = IngestBodies.Gzip(Encoding.UTF8.GetBytes(IngestBodies.EventLine(1)));

        // Counters high enough for any number of lines: only the gzip framing is at fault.
        using var response = await IngestBodies.PostDelightAsync(_server.Client, IngestBodies.DelightBulk(app, Damage(gzip, damage), messageCounter: 10));

        await AssertRefusedAsync(response, app);
    }

    [Fact]
    public async Task A_Delight_body_with_bytes_after_its_JSON_gets_400_and_nothing_is_stored()
    {
        var body = IngestBodies.DelightBulk("trailing-json", IngestBodies.Gzip(Encoding.UTF8.GetBytes(IngestBodies.EventLine(1))));

        using var response = await IngestBodies.PostDelightAsync(_server.Client, body + "{\"more\":1}");

        await AssertRefusedAsync(response, "trailing-json");
    }

    [Fact]
    public async Task Whole_gzip_members_are_still_stored()
    {
        var listener = ListenerEnvelope.Build("whole-gzip-ok", "r", 1, Message.Event(1));
        await new ListenerClient(_server.Client).PostOkAsync(listener);
        var gzip = IngestBodies.Gzip(Encoding.UTF8.GetBytes(IngestBodies.EventLine(1)));
        // JSON whitespace after the envelope is not trailing data.
        using var delight = await IngestBodies.PostDelightAsync(_server.Client, IngestBodies.DelightBulk("whole-gzip-ok-delight", gzip) + "\n");

        Assert.Equal(HttpStatusCode.OK, delight.StatusCode);
        var api = new SparkwatchApi(_server.Client);
        Assert.Single(await api.EventsAsync("whole-gzip-ok", "r"));
        Assert.Single(await api.EventsAsync("whole-gzip-ok-delight", "whole-gzip-ok-delight"));
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string job)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("urn:sparkwatch:problem:invalid-payload", problem.GetProperty("type").GetString());
        using var job404 = await _server.Client.GetAsync($"/job/{Uri.EscapeDataString(job)}");
        Assert.Equal(HttpStatusCode.NotFound, job404.StatusCode);
    }
}
