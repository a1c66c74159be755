using System.IO.Compression;
using System.Text;
using CsCheck;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// The listener decoder reads the envelope the listener sends with a fast path of its own and leaves any other body to
/// the general reader. Whatever the body, the two must give the same batch byte for byte, or the same refusal.
/// </summary>
public sealed class CanonicalEnvelopePathTests
{
    private static readonly byte[][] CaptureBodies = [.. File.ReadLines(TestPaths.ListenerCapture).Select(Encoding.UTF8.GetBytes)];

    /// <summary>JSON text that breaks a body wherever it lands, or breaks a hand-written reader that is not careful.</summary>
    private static readonly string[] Splinters =
    [
        "\\", "\"", "\\u", "\\u00", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\x", " ", "\t", "\n", "\r\n", ",", ":", "{", "}", "[", "]",
        "0", "01", "-", "-1", ".5", "e5", "E+2", "null", "true", "\u0001", "\u001f",
        "\"generated_at\":1,", "\"content\":\"\",", "\"message_type\":\"heartbeat\",", "\"x\":[],",
    ];

    /// <summary>Text that is valid inside a JSON string: dropped into a content, the body stays one the fast path reads.</summary>
    private static readonly string[] StringText =
        ["\\\\", "\\\"", "\\/", "\\u0041", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\\b\\f\\n\\r\\t", "\\u0000", "é", "😀", "\u007f", "a"];

    private static readonly byte[][] RawSplinters = [[0x80], [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF]];

    private static readonly Gen<byte[]> Splinter = Gen.Frequency(
        (3, Gen.OneOf(Splinters).Select(Encoding.UTF8.GetBytes)),
        (6, Gen.OneOf(StringText).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.OneOf(RawSplinters)));

    /// <summary>Real bodies with a few splinters inserted or written over their bytes.</summary>
    private static readonly Gen<byte[]> SplinteredBodies =
        from start in Gen.Int[0, 1000]
        from edits in Gen.Select(Gen.Double[0, 1], Splinter, Gen.Bool).Array[1, 3]
        select WithSplinters(CaptureBodies[start % CaptureBodies.Length], edits);

    [Fact]
    public void Every_captured_listener_body_takes_the_fast_path_and_reads_as_the_general_reader_reads_it()
    {
        var paths = new ListenerDecodePaths(maxNameLength: 4096);
        foreach (var body in CaptureBodies)
        {
            Assert.True(ListenerDecodePaths.IsCanonical(body), Encoding.UTF8.GetString(body[..Math.Min(200, body.Length)]));
            Assert.StartsWith("run ", paths.Decode(body));
        }
    }

    [Fact]
    public async Task Bodies_damaged_at_the_JSON_level_read_the_same_both_ways()
    {
        var paths = new ListenerDecodePaths(maxNameLength: 4096);
        var damages = Gen.OneOf(ListenerCases.Envelope, ListenerCases.OneMessage, Values.BodyBytes);
        await Property.CheckAsync(ListenerCases.With(damages), sample =>
        {
            if (Inflated(sample) is { } body) paths.Decode(body);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public void Bodies_with_JSON_splinters_read_the_same_both_ways_and_many_still_take_the_fast_path()
    {
        var paths = new ListenerDecodePaths(maxNameLength: 4096);
        int samples = 0, canonical = 0;
        // In process and without a server, a sample costs well under a millisecond: many more than the HTTP properties.
        SplinteredBodies.Sample(body =>
        {
            paths.Decode(body);
            samples++;
            if (ListenerDecodePaths.IsCanonical(body)) canonical++;
        }, iter: Property.Iterations * 20, threads: 1);
        // Text dropped into a content string leaves a body the fast path reads: its results must have been compared too.
        Assert.InRange(canonical, samples / 20, samples);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    public void A_field_nested_near_the_readers_depth_limit_reads_the_same_both_ways(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var body = Encoding.UTF8.GetBytes($$"""{"job_name":"j","run_id":"r","extra":{{nested}},"messages":[{"generated_at":1,"message_type":"spark-event","content":"{\"Event\":\"A\"}"}]}""");
        new ListenerDecodePaths(maxNameLength: 4096).Decode(body);
    }

    private static byte[] WithSplinters(byte[] body, (double At, byte[] Splinter, bool Insert)[] edits)
    {
        var bytes = new List<byte>(body);
        foreach (var (at, splinter, insert) in edits)
        {
            var position = (int)(at * bytes.Count);
            if (!insert) bytes.RemoveRange(position, Math.Min(splinter.Length, bytes.Count - position));
            bytes.InsertRange(position, splinter);
        }
        return [.. bytes];
    }

    private static byte[]? Inflated(ListenerCase sample)
    {
        if (!sample.Gzip) return sample.Body;
        try
        {
            using var inflated = new MemoryStream();
            using (var gzip = new GZipStream(new MemoryStream(sample.Body), CompressionMode.Decompress)) gzip.CopyTo(inflated);
            return inflated.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
