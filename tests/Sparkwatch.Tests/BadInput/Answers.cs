using System.Net;
using System.Text;
using System.Text.Json;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>Assertions and raw bodies shared by the bad-input tests.</summary>
internal static class Answers
{
    /// <summary>Asserts a problem+json answer of <paramref name="status"/> whose detail holds <paramref name="detailFragment"/>.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailFragment)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:sparkwatch:problem:", problem.GetProperty("type").GetString());
        Assert.Contains(detailFragment, problem.GetProperty("detail").GetString());
        return problem;
    }

    /// <summary>
    /// UTF-8 of <paramref name="template"/> with every <c>@BAD@</c> replaced by <paramref name="bad"/> as raw bytes, for
    /// bodies that no string can hold (invalid UTF-8).
    /// </summary>
    public static byte[] WithRawBytes(string template, byte[] bad)
    {
        var parts = template.Split("@BAD@");
        var body = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) body.AddRange(bad);
            body.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }
        return [.. body];
    }

    /// <summary>The bytes that stand for each kind of invalid text in the tests: a byte that is never UTF-8, lone surrogate escapes.</summary>
    public static readonly Dictionary<string, byte[]> InvalidText = new()
    {
        ["xff"] = [(byte)'a', 0xFF, (byte)'b'],
        ["ud800"] = Encoding.ASCII.GetBytes("a\\ud800b"),
        ["udc00"] = Encoding.ASCII.GetBytes("a\\udc00b"),
    };

    /// <summary>Asserts that the server stored no job at all.</summary>
    public static async Task AssertNothingStoredAsync(ServerUnderTest server) =>
        Assert.Empty(await new SparkwatchApi(server.Client).AllJobNamesAsync());

    /// <summary>gzip of raw bytes.</summary>
    public static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest)) gzip.Write(body);
        return output.ToArray();
    }
}
