using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Sparkwatch.Senders.Tests;

/// <summary>Posts what the Delight agent posts: uncompressed JSON (sent as text/plain, like its StringEntity), data = base64 of gzip of lines.</summary>
public sealed class DelightAgent(HttpClient http, string dmAppId, string prefix = "/collector")
{
    private long _messageCounter, _payloadCounter;

    public string DmAppId => dmAppId;

    /// <summary>The bulk body for <paramref name="lines"/>, advancing the counters as the agent does.</summary>
    public string NextBulk(IReadOnlyCollection<string> lines, long sentAt)
    {
        _messageCounter += lines.Count;
        _payloadCounter++;
        return Bulk(dmAppId, sentAt, _messageCounter, _payloadCounter, Convert.ToBase64String(Gzip(string.Concat(lines.Select(l => l + "\n")))));
    }

    public static string Bulk(string dmAppId, long sentAt, long messageCounter, long payloadCounter, string data) => new JsonObject
    {
        ["dmAppId"] = dmAppId,
        ["sentAt"] = sentAt,
        ["counters"] = new JsonObject { ["messageCounter"] = messageCounter, ["payloadCounter"] = payloadCounter },
        ["data"] = data,
    }.ToJsonString();

    public Task<HttpResponseMessage> PostAsync(string suffix, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, prefix + "/" + suffix) { Content = new StringContent(body, Encoding.Latin1, "text/plain") };
        request.Headers.Add("X-API-key", "delight-token");
        return http.SendAsync(request);
    }

    public async Task<string> PostOkAsync(string suffix, string body)
    {
        using var response = await PostAsync(suffix, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {suffix} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    public Task<string> SignalAsync(string suffix) => PostOkAsync(suffix, new JsonObject { ["dmAppId"] = dmAppId }.ToJsonString());

    public static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }
}
