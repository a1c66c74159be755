using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sparkwatch.Testing;

/// <summary>Sends payloads the way the Data Mechanics listener does: gzip body, JSON envelope, X-API-key.</summary>
public sealed class ListenerClient(HttpClient http)
{
    /// <summary>POSTs a decoded request body (one line of the capture) gzip-compressed to <c>/collect</c>.</summary>
    public Task<HttpResponseMessage> PostAsync(string envelopeJson, string path = "/collect") => PostBytesAsync(Gzip(envelopeJson), gzip: true, path);

    /// <summary>POSTs raw bytes; <paramref name="gzip"/> adds <c>Content-Encoding: gzip</c>.</summary>
    public Task<HttpResponseMessage> PostBytesAsync(byte[] body, bool gzip, string path = "/collect")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (gzip) content.Headers.ContentEncoding.Add("gzip");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-API-key", "test-key");
        return http.SendAsync(request);
    }

    /// <summary>Posts and asserts a 200.</summary>
    public async Task PostOkAsync(string envelopeJson)
    {
        using var response = await PostAsync(envelopeJson);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST /collect answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>gzip of the UTF-8 text.</summary>
    public static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    /// <summary>
    /// Builds listener envelopes for a run from event JSON lines, <paramref name="batchSize"/> messages each, with
    /// counters as the listener keeps them and generated_at from each event's Timestamp (else the previous one).
    /// </summary>
    public static IEnumerable<string> Envelopes(string jobName, string runId, IEnumerable<string> eventLines, int batchSize = 100)
    {
        long counter = 0, payload = 0, lastTime = 0;
        foreach (var chunk in eventLines.Chunk(batchSize))
        {
            var messages = new JsonArray();
            foreach (var line in chunk)
            {
                lastTime = JsonNode.Parse(line, documentOptions: new JsonDocumentOptions { MaxDepth = 1024 })?["Timestamp"]?.GetValue<long>() ?? lastTime;
                messages.Add(new JsonObject { ["generated_at"] = lastTime, ["message_type"] = "spark-event", ["content"] = line });
            }
            counter += chunk.Length;
            payload++;
            yield return new JsonObject
            {
                ["job_name"] = jobName,
                ["run_id"] = runId,
                ["sent_at"] = lastTime,
                ["counters"] = new JsonObject { ["message_counter"] = counter, ["payload_counter"] = payload },
                ["messages"] = messages,
            }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
    }
}
