using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Senders;

/// <summary>A payload the collector refused for good (after every allowed attempt); the message says why.</summary>
public sealed class SendFailedException(string message) : Exception(message);

/// <summary>
/// Posts payloads exactly as the Data Mechanics listener does (gzip JSON envelope, <c>X-API-key</c>, counters) and
/// retries failures with exponential back-off, honouring <c>Retry-After</c> on 429 and 503.
/// </summary>
public sealed class ListenerSender(HttpClient http, SenderOptions options, SendStats stats, TimeProvider? clock = null)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The totals of everything this sender sent.</summary>
    public SendStats Stats => stats;

    /// <summary>Sends <paramref name="messages"/> as the next payload of <paramref name="stream"/>; advances its counters once acknowledged.</summary>
    public async Task<CollectorAnswer> SendAsync(RunStream stream, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return default;
        var counters = new Counters(stream.MessageCounter + messages.Count, stream.PayloadCounter + 1);
        var answer = await PostAsync(stream.Run, messages, counters, cancellationToken);
        stream.MessageCounter = counters.Message;
        stream.PayloadCounter = counters.Payload;
        return answer;
    }

    /// <summary>Sends a heartbeat of <paramref name="run"/> without counters: it takes no seq of any stream.</summary>
    public Task<CollectorAnswer> SendHeartbeatAsync(RunKey run, CancellationToken cancellationToken) =>
        PostAsync(run, [new OutgoingMessage(_clock.GetUtcNow().ToUnixTimeMilliseconds(), null)], counters: null, cancellationToken);

    private readonly record struct Counters(long Message, long Payload);

    private async Task<CollectorAnswer> PostAsync(RunKey run, IReadOnlyList<OutgoingMessage> messages, Counters? counters, CancellationToken cancellationToken)
    {
        var delay = options.RetryInitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            var body = BuildBody(run, messages, counters);
            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await http.SendAsync(BuildRequest(body), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var answer = await ReadAnswerAsync(response, cancellationToken);
                    stats.Acknowledged(messages.Count(m => m.Content is not null), answer);
                    return answer;
                }
                failure = $"{(int)response.StatusCode} {response.ReasonPhrase}: {await DetailAsync(response, cancellationToken)}";
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) retryAfter = RetryAfter(response);
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"no answer within {http.Timeout.TotalSeconds:0} s ({e.Message})";
            }
            if (options.MaxAttempts > 0 && attempt >= options.MaxAttempts)
            {
                throw new SendFailedException($"{options.Url} refused {(counters is { } c ? $"payload {c.Payload}" : "a heartbeat")} of {run} {attempt} times; last: {failure}");
            }
            stats.Retried();
            await Task.Delay(retryAfter ?? delay, _clock, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RetryMaxDelay.Ticks));
        }
    }

    private HttpRequestMessage BuildRequest(byte[] gzipBody)
    {
        var content = new ByteArrayContent(gzipBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = content };
        if (!string.IsNullOrEmpty(options.ApiKey)) request.Headers.Add("X-API-key", options.ApiKey);
        return request;
    }

    /// <summary>The gzip-compressed envelope; rebuilt on every attempt so <c>sent_at</c> is the attempt's time, as with the listener.</summary>
    private byte[] BuildBody(RunKey run, IReadOnlyList<OutgoingMessage> messages, Counters? counters)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(gzip, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("job_name", run.JobName);
            json.WriteString("run_id", run.RunId);
            json.WriteNumber("sent_at", _clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (counters is { } c)
            {
                json.WriteStartObject("counters");
                json.WriteNumber("message_counter", c.Message);
                json.WriteNumber("payload_counter", c.Payload);
                json.WriteEndObject();
            }
            json.WriteStartArray("messages");
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteNumber("generated_at", message.GeneratedAt);
                json.WriteString("message_type", message.Content is null ? "heartbeat" : "spark-event");
                if (message.Content is null) json.WriteString("content", "");
                else if (System.Text.Unicode.Utf8.IsValid(message.Content)) json.WriteString("content", message.Content);
                // Not UTF-8: send what a JVM would (replacement characters); the collector checks the JSON itself.
                else json.WriteString("content", Encoding.UTF8.GetString(message.Content));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return output.ToArray();
    }

    private static async Task<CollectorAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            return new CollectorAnswer(Int(root, "events_stored"), Int(root, "duplicates"), Int(root, "quarantined"));
        }
        catch (JsonException)
        {
            return default; // Another collector may answer 200 with anything: the payload is acknowledged all the same.
        }

        static int Int(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) return detail.GetString()!;
        }
        catch (JsonException)
        {
        }
        return text.Length > 300 ? text[..300] : text;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - _clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
