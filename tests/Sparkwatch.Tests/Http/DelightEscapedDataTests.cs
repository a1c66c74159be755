using System.Net;
using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>The Delight agent's <c>data</c> is decoded the same whether or not the JSON writer escaped its '/' and '+'.</summary>
public sealed class DelightEscapedDataTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Data_is_stored_whether_its_slashes_and_pluses_are_escaped_or_not(bool escaped)
    {
        await using var server = await ServerUnderTest.StartAsync();
        var lines = string.Concat(Enumerable.Range(1, 50).Select(i => IngestBodies.EventLine(i)));
        var base64 = Convert.ToBase64String(IngestBodies.Gzip(Encoding.UTF8.GetBytes(lines)));
        Assert.True(base64.Contains('/') || base64.Contains('+'), "the base64 has characters a JSON writer may escape");
        var data = escaped ? base64.Replace("/", "\\/").Replace("+", "\\u002B") : base64;
        var body = $"{{\"dmAppId\":\"escaped-data\",\"sentAt\":1,\"counters\":{{\"messageCounter\":50,\"payloadCounter\":1}},\"data\":\"{data}\"}}";

        using var response = await IngestBodies.PostDelightAsync(server.Client, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(50, (await new SparkwatchApi(server.Client).EventsAsync("escaped-data", "escaped-data")).Count);
    }
}
