using System.Text;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Tests;

/// <summary>An event must be text: invalid UTF-8 or a lone surrogate escape anywhere refuses it, a NUL only in its facts.</summary>
public sealed class EventTextTests
{
    [Theory]
    [InlineData("{\"Event\":\"E\",\"x\":\"\\ud83d\\ude80\"}")]
    [InlineData("{\"Event\":\"E\",\"x\":\"\\uD83D\\uDE80 and \\\\ud800 is only text\"}")]
    [InlineData("{\"Event\":\"E\",\"x\":\"a\\u0000b\"}")]
    [InlineData("{\"Event\":\"E\",\"\\ud83d\\ude80\":[\"\\n\\u00e9\"]}")]
    public void Valid_text_is_accepted(string json)
    {
        Assert.True(EventFactReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var reason), reason);
    }

    [Theory]
    [InlineData("{\"Event\":\"E\",\"x\":\"\\ud800\"}")]
    [InlineData("{\"Event\":\"E\",\"x\":\"\\udc00\\ud800\"}")]
    [InlineData("{\"Event\":\"E\",\"x\":\"\\ud83dx\\ude80\"}")]
    [InlineData("{\"Event\":\"E\",\"x\":{\"\\udbff\":1}}")]
    [InlineData("{\"Event\":\"E\",\"x\":[\"ok\",\"\\ud83d\"]}")]
    [InlineData("{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"\\ud800\"}")]
    [InlineData("{\"Event\":\"\\udfff\"}")]
    public void A_lone_surrogate_escape_anywhere_is_refused(string json)
    {
        Assert.False(EventFactReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var reason));
        Assert.Contains("not text", reason);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        Assert.False(EventFactReader.TryRead([.. "{\"Event\":\"E\",\"x\":\""u8, 0xF0, 0x28, .. "\"}"u8], out _, out var reason));
        Assert.Contains("UTF-8", reason);
    }

    [Theory]
    [InlineData("{\"Event\":\"E\\u0000\"}", "Event")]
    [InlineData("{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"\\u0000\"}", "App Name")]
    [InlineData("{\"Event\":\"SparkListenerApplicationEnd\",\"App ID\":\"a\\u0000\"}", "App ID")]
    [InlineData("{\"Event\":\"SparkListenerApplicationStart\",\"App Attempt ID\":\"\\u0000\"}", "App Attempt ID")]
    public void A_NUL_in_a_fact_is_refused_naming_it(string json, string field)
    {
        Assert.False(EventFactReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var reason));
        Assert.Contains($"\"{field}\" contains a NUL", reason);
    }
}
