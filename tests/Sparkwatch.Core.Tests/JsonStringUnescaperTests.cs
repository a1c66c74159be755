using System.Text;
using System.Text.Json;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.Core.Tests;

/// <summary>The listener's fast unescaping of <c>content</c> strings, against <see cref="Utf8JsonReader"/>'s own.</summary>
public sealed class JsonStringUnescaperTests
{
    public static TheoryData<string> ValidStrings => new(
        "",
        "plain",
        "{\\\"Event\\\":\\\"SparkListenerJobEnd\\\",\\\"Job ID\\\":7}",
        "\\\\ \\/ \\b \\f \\n \\r \\t \\\"",
        "\\u0041\\u00e9\\u20ac\\u20AC\\uFFFF\\u0000",
        "\\ud83d\\ude00 and \\uD83D\\uDE00",
        "é€😀 raw UTF-8",
        "\\\"" + new string('x', 15) + "\\\"" + new string('y', 16) + "\\\"" + new string('z', 17),
        new string('a', 200) + "\\n" + new string('b', 31));

    [Theory]
    [MemberData(nameof(ValidStrings))]
    public void A_valid_string_unescapes_as_the_JSON_reader_unescapes_it(string escaped)
    {
        // Every offset of the text against the 16-byte blocks, and a destination with no room to spare.
        for (var pad = 0; pad < 17; pad++)
        {
            var json = Encoding.UTF8.GetBytes(new string(' ', pad) + "\"" + escaped + "\",1");
            var expected = ReaderCopy(json.AsSpan(pad));
            var destination = new byte[expected.Length];

            Assert.True(JsonStringUnescaper.TryUnescape(json.AsSpan(pad + 1), destination, out var consumed, out var written));

            Assert.Equal(expected, destination[..written]);
            Assert.Equal(Encoding.UTF8.GetByteCount(escaped) + 1, consumed);
        }
    }

    [Theory]
    [InlineData("\\ud800", "a lone high surrogate")]
    [InlineData("\\udc00", "a lone low surrogate")]
    [InlineData("\\ud800\\u0041", "a high surrogate before another escape")]
    [InlineData("\\ud800x\\udc00", "a pair split by a byte")]
    [InlineData("\\x", "an escape JSON does not have")]
    [InlineData("\\u00g1", "an escape with a letter that is not hex")]
    [InlineData("\\u00", "a short escape")]
    [InlineData("tab\there", "a raw control byte")]
    [InlineData("no closing quote", "the end of the text")]
    public void What_the_fast_path_does_not_need_is_left_to_the_JSON_reader(string text, string what)
    {
        var source = Encoding.UTF8.GetBytes(text);
        Assert.False(JsonStringUnescaper.TryUnescape(source, new byte[source.Length + 64], out _, out _), what);
    }

    [Fact]
    public void A_destination_too_small_is_a_refusal_not_an_overflow()
    {
        var source = Encoding.UTF8.GetBytes(new string('a', 40) + "\"");
        Assert.False(JsonStringUnescaper.TryUnescape(source, new byte[39], out _, out _));
    }

    private static byte[] ReaderCopy(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var copy = new byte[json.Length];
        return copy[..reader.CopyString(copy)];
    }
}
