using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>
/// A fault inside one message quarantines that message, in its seq position, and the rest of the payload is stored
/// with 200 — on PostgreSQL too, whose text columns refuse NUL: the listener retries every non-200 for ever.
/// </summary>
public sealed class MessageFaultTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Content(string eventJson) => JsonSerializer.Serialize(eventJson);

    private static string Message(string content) => $$"""{"generated_at":2,"message_type":"spark-event","content":{{content}}}""";

    /// <summary>Case name, the bad message as it appears in the envelope (<c>@BAD@</c> stands for raw invalid text), which invalid text, the reason's gist.</summary>
    public static TheoryData<string, string, string?, string> BadMessages() => new()
    {
        { "generated_at missing", """{"message_type":"spark-event","content":"{\"Event\":\"E\"}"}""", null, "generated_at is missing" },
        { "generated_at a string", """{"generated_at":"soon","message_type":"spark-event","content":"{\"Event\":\"E\"}"}""", null, "generated_at must be an integer" },
        { "generated_at a float", """{"generated_at":1.5,"message_type":"spark-event","content":"{\"Event\":\"E\"}"}""", null, "generated_at must be an integer" },
        { "generated_at 2^63", """{"generated_at":9223372036854775808,"message_type":"spark-event","content":"{\"Event\":\"E\"}"}""", null, "generated_at must be an integer" },
        { "generated_at an object", """{"generated_at":{"ms":1},"message_type":"spark-event","content":"{\"Event\":\"E\"}"}""", null, "generated_at must be an integer" },
        { "message_type missing", """{"generated_at":2,"content":"{\"Event\":\"E\"}"}""", null, "message_type is missing" },
        { "message_type a number", """{"generated_at":2,"message_type":7,"content":"{\"Event\":\"E\"}"}""", null, "message_type must be a string" },
        { "message_type with NUL", """{"generated_at":2,"message_type":"spark\u0000event","content":"{\"Event\":\"E\"}"}""", null, "NUL" },
        { "message_type unknown with NUL", """{"generated_at":2,"message_type":"x\u0000","content":"{\"Event\":\"E\"}"}""", null, "NUL" },
        { "message_type invalid UTF-8", """{"generated_at":2,"message_type":"@BAD@","content":"{\"Event\":\"E\"}"}""", "xff", "message_type is not text" },
        { "message_type lone high surrogate", """{"generated_at":2,"message_type":"@BAD@","content":"{\"Event\":\"E\"}"}""", "ud800", "message_type is not text" },
        { "message_type lone low surrogate", """{"generated_at":2,"message_type":"@BAD@","content":"{\"Event\":\"E\"}"}""", "udc00", "message_type is not text" },
        { "a number", "42", null, "not an object" },
        { "a string", "\"event\"", null, "not an object" },
        { "an array", "[{\"generated_at\":2}]", null, "not an object" },
        { "null", "null", null, "not an object" },
        { "content an object", """{"generated_at":2,"message_type":"spark-event","content":{"Event":"E"}}""", null, "content must be a string" },
        { "content missing", """{"generated_at":2,"message_type":"spark-event"}""", null, "content is missing" },
        { "content invalid UTF-8", """{"generated_at":2,"message_type":"spark-event","content":"{\"Event\":\"@BAD@\"}"}""", "xff", "content is not text" },
        { "content lone high surrogate", """{"generated_at":2,"message_type":"spark-event","content":"{\"Event\":\"@BAD@\"}"}""", "ud800", "content is not text" },
        { "content lone low surrogate", """{"generated_at":2,"message_type":"spark-event","content":"{\"Event\":\"@BAD@\"}"}""", "udc00", "content is not text" },
        { "Event with NUL", Message(Content("""{"Event":"Spark\u0000ListenerTaskEnd"}""")), null, "\"Event\" contains a NUL" },
        { "Event with lone surrogate", Message(Content("""{"Event":"Spark\ud800ListenerTaskEnd"}""")), null, "not text" },
        { "App Name with NUL", Message(Content("""{"Event":"SparkListenerApplicationStart","App Name":"a\u0000b","Timestamp":2}""")), null, "\"App Name\" contains a NUL" },
        { "App Name with lone surrogate", Message(Content("""{"Event":"SparkListenerApplicationStart","App Name":"a\udc00b","Timestamp":2}""")), null, "surrogate" },
        { "App ID with NUL", Message(Content("""{"Event":"SparkListenerApplicationStart","App ID":"\u0000","Timestamp":2}""")), null, "\"App ID\" contains a NUL" },
        { "App Attempt ID with NUL", Message(Content("""{"Event":"SparkListenerApplicationStart","App Attempt ID":"1\u0000","Timestamp":2}""")), null, "\"App Attempt ID\" contains a NUL" },
        { "environment property value with lone surrogate", Message(Content("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.app.name":"a\ud800"}}""")), null, "surrogate" },
        { "environment property key with lone surrogate", Message(Content("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.\udfff.secret":"x"}}""")), null, "surrogate" },
        { "surrogate pair broken by another escape", Message(Content("""{"Event":"E","x":"\ud83d\n\ude80"}""")), null, "surrogate" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task A_bad_message_is_quarantined_in_its_place_and_the_rest_is_stored(string name, string badMessage, string? invalid, string reason)
    {
        var runId = "run-" + name.Replace(' ', '-');
        var template = $$"""
            {"job_name":"job","run_id":"{{runId}}","counters":{"message_counter":3,"payload_counter":1},"messages":[
            {"generated_at":1,"message_type":"spark-event","content":"{\"Event\":\"SparkListenerJobStart\",\"Job ID\":1}"},
            {{badMessage}},
            {"generated_at":3,"message_type":"spark-event","content":"{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":1}"}]}
            """;
        var body = invalid is null ? System.Text.Encoding.UTF8.GetBytes(template) : Answers.WithRawBytes(template, Answers.InvalidText[invalid]);
        var client = new ListenerClient(_server.Client);

        using var response = await client.PostBytesAsync(Answers.Gzip(body), gzip: true);

        var answerText = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {answerText}");
        var answer = JsonDocument.Parse(answerText).RootElement;
        Assert.Equal(2, answer.GetProperty("events_stored").GetInt32());
        Assert.Equal(1, answer.GetProperty("quarantined").GetInt32());
        var api = new SparkwatchApi(_server.Client);
        Assert.Equal(["{\"Event\":\"SparkListenerJobStart\",\"Job ID\":1}", "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":1}"], await api.EventsAsync("job", runId));
        var quarantined = Assert.Single((await api.GetJsonAsync(SparkwatchApi.RunPath("job", runId, "/quarantine"))).GetProperty("messages").EnumerateArray());
        Assert.Equal(2, quarantined.GetProperty("seq").GetInt64());
        Assert.Contains(reason, quarantined.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_retried_payload_with_a_bad_message_is_stored_once()
    {
        var client = new ListenerClient(_server.Client);
        var payload = """{"job_name":"job","run_id":"retried","counters":{"message_counter":2},"messages":[{"generated_at":"x"},{"generated_at":2,"message_type":"spark-event","content":"{\"Event\":\"E\"}"}]}""";

        await client.PostOkAsync(payload);
        await client.PostOkAsync(payload);

        var run = await new SparkwatchApi(_server.Client).GetJsonAsync("/job/job/retried");
        Assert.Equal(1, run.GetProperty("quarantined_count").GetInt64());
        Assert.Equal(1, run.GetProperty("event_count").GetInt64());
    }
}
