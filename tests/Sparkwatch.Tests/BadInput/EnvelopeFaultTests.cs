using System.Net;
using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>Only a fault of the listener's envelope itself refuses the payload: 400 with the reason, nothing stored.</summary>
public sealed class EnvelopeFaultTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;
    private ListenerClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync();
        _client = new ListenerClient(_server.Client);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Good = """{"generated_at":1,"message_type":"spark-event","content":"{\"Event\":\"SparkListenerTaskEnd\"}"}""";

    public static TheoryData<string, string> InvalidNames() => new()
    {
        { "job_name", "xff" }, { "job_name", "ud800" }, { "job_name", "udc00" },
        { "run_id", "xff" }, { "run_id", "ud800" }, { "run_id", "udc00" },
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task A_name_that_is_not_text_gets_400_naming_the_field(string field, string invalid)
    {
        var other = field == "job_name" ? "run_id" : "job_name";
        var body = Answers.WithRawBytes($$"""{"{{field}}":"@BAD@","{{other}}":"ok","messages":[{{Good}}]}""", Answers.InvalidText[invalid]);

        using var response = await _client.PostBytesAsync(Answers.Gzip(body), gzip: true);

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, $"\"{field}\" is not text");
        await Answers.AssertNothingStoredAsync(_server);
    }

    [Fact]
    public async Task A_name_holding_NUL_gets_400()
    {
        using var response = await _client.PostAsync($$"""{"job_name":"a\u0000b","run_id":"r","messages":[{{Good}}]}""");

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, "NUL");
        await Answers.AssertNothingStoredAsync(_server);
    }

    [Theory]
    [InlineData(" {}")]
    [InlineData("x")]
    [InlineData("\n{\"job_name\":\"j\",\"run_id\":\"r2\",\"messages\":[]}")]
    public async Task Bytes_after_the_envelope_get_400_and_nothing_is_stored(string trailing)
    {
        var body = $$"""{"job_name":"j","run_id":"r","counters":{"message_counter":1},"messages":[{{Good}}]}""" + trailing;

        using var response = await _client.PostAsync(body);

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, "not valid JSON");
        await Answers.AssertNothingStoredAsync(_server);
    }

    [Theory]
    [InlineData("9223372036854775807", "MaxMessageCounter")]
    [InlineData("9223372036854775000", "MaxMessageCounter")]
    [InlineData("1099511627776", "MaxMessageCounter")]
    [InlineData("-3", "negative")]
    public async Task An_absurd_message_counter_gets_400_saying_why(string counter, string reason)
    {
        var body = $$"""{"job_name":"j","run_id":"r","counters":{"message_counter":{{counter}}},"messages":[{{Good}},{{Good}}]}""";

        using var response = await _client.PostAsync(body);

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
        await Answers.AssertNothingStoredAsync(_server);
    }

    [Fact]
    public async Task The_largest_accepted_counter_is_stored()
    {
        var body = $$"""{"job_name":"j","run_id":"r","counters":{"message_counter":1099511627775},"messages":[{{Good}}]}""";
        await _client.PostOkAsync(body);
        Assert.Single(await new SparkwatchApi(_server.Client).EventsAsync("j", "r"));
    }

    [Fact]
    public async Task A_lower_configured_counter_limit_is_named_in_the_refusal()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Limits:MaxMessageCounter=1000");
        var body = $$"""{"job_name":"j","run_id":"r","counters":{"message_counter":1001},"messages":[{{Good}}]}""";

        using var response = await new ListenerClient(server.Client).PostBytesAsync(Encoding.UTF8.GetBytes(body), gzip: false);

        await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, "above the 1000 messages");
    }
}
