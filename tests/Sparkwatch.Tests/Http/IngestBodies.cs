using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sparkwatch.Tests.Http;

/// <summary>Request bodies for the memory and gzip tests: gzip members whole or damaged, bombs, Delight bulk payloads.</summary>
internal static class IngestBodies
{
    /// <summary>One gzip member of <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(ReadOnlySpan<byte> bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>A gzip member that inflates to <paramref name="inflatedBytes"/> zeros (about a thousandth of that on the wire).</summary>
    public static byte[] Bomb(long inflatedBytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            var zeros = new byte[1024 * 1024];
            for (long left = inflatedBytes; left > 0; left -= zeros.Length) gzip.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        }
        return output.ToArray();
    }

    /// <summary>A copy of the gzip member whose trailer declares <paramref name="inflatedBytes"/> (ISIZE), whatever it inflates to.</summary>
    public static byte[] DeclaringSize(byte[] gzip, uint inflatedBytes)
    {
        var copy = (byte[])gzip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), inflatedBytes);
        return copy;
    }

    /// <summary>One event line as the Delight agent sends it.</summary>
    public static string EventLine(long timestamp) => $"{{\"Event\":\"SparkListenerTaskEnd\",\"Timestamp\":{timestamp}}}\n";

    /// <summary>A Delight <c>/bulk</c> body whose <c>data</c> is base64 of <paramref name="gzip"/>.</summary>
    public static string DelightBulk(string dmAppId, byte[] gzip, long messageCounter = 1) => new JsonObject
    {
        ["dmAppId"] = dmAppId,
        ["sentAt"] = 1,
        ["counters"] = new JsonObject { ["messageCounter"] = messageCounter, ["payloadCounter"] = 1 },
        ["data"] = Convert.ToBase64String(gzip),
    }.ToJsonString();

    /// <summary>POSTs a Delight body the way the agent does (text/plain).</summary>
    public static Task<HttpResponseMessage> PostDelightAsync(HttpClient http, string body) => PostDelightAsync(http, new StringContent(body, Encoding.UTF8, "text/plain"));

    /// <summary>POSTs Delight content the way the agent does.</summary>
    public static Task<HttpResponseMessage> PostDelightAsync(HttpClient http, HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return http.PostAsync("/collector/bulk", content);
    }
}

/// <summary>
/// A POST over a raw socket, its body sent piece by piece as a slow network delivers it (HttpClient would buffer
/// small pieces until the body is complete, so the server would never see a slow sender).
/// </summary>
internal sealed class RawPost : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpClient _tcp;
    private readonly Stream _stream;

    private RawPost(System.Net.Sockets.TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and sends the request head, announcing a body of <paramref name="contentLength"/> bytes.</summary>
    public static async Task<RawPost> StartAsync(Uri baseAddress, string path, int contentLength)
    {
        var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var post = new RawPost(tcp);
        await post.SendAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\nConnection: close\r\n\r\n"));
        return post;
    }

    /// <summary>Sends the next piece of the body now.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> piece)
    {
        await _stream.WriteAsync(piece);
        await _stream.FlushAsync();
    }

    /// <summary>The status code of the answer.</summary>
    public async Task<System.Net.HttpStatusCode> ReadStatusAsync()
    {
        using var reader = new StreamReader(_stream, Encoding.ASCII, leaveOpen: true);
        var statusLine = await reader.ReadLineAsync() ?? throw new IOException("the server closed the connection without an answer");
        return (System.Net.HttpStatusCode)int.Parse(statusLine.Split(' ')[1]);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
