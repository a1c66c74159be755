using System.Net;
using CsCheck;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// Bytes after the envelope's JSON, after the gzip stream, or a gzip stream cut inside its trailer: the body is not
/// what the client sent, so it is refused with 400 and nothing of it is stored (issue 8 §2).
/// </summary>
public sealed class TrailingOrTruncatedBodiesTests
{
    [Fact]
    public async Task A_body_with_bytes_past_its_end_or_a_cut_gzip_trailer_is_refused_and_nothing_stored()
    {
        await using var server = await FuzzServer.StartAsync();
        var damages = Gen.OneOf(
            from tail in Gen.OneOf("x", "{}", "\0", "]", "\n{\"a\":1}") select new Damage($"JSON followed by '{tail}'", Raw: b => [.. b, .. System.Text.Encoding.UTF8.GetBytes(tail)]),
            from cut in Gen.Int[1, 8] select new Damage($"gzip trailer without its last {cut} bytes", Compressed: b => b[..^cut]),
            from tail in Gen.OneOf<byte[]>([0], [1, 2, 3], [0x1f, 0x8b], [(byte)'{']) select new Damage($"gzip stream followed by {tail.Length} byte(s)", Compressed: b => [.. b, .. tail]));
        await Property.CheckAsync(ListenerCases.With(damages), async sample =>
        {
            server.Errors.Clear();
            using var response = await server.Listener.PostBytesAsync(sample.Body, sample.Gzip);
            var body = await server.CheckAnswerAsync(response, sample.ToString());
            if (response.StatusCode != HttpStatusCode.BadRequest) throw new FuzzAssertionException($"answered {(int)response.StatusCode}, not 400, to {sample}: {body}");
            using var read = await server.Server.Client.GetAsync(SparkwatchApi.RunPath(sample.JobName!, sample.RunId!, "/events"));
            if (read.StatusCode != HttpStatusCode.NotFound) throw new FuzzAssertionException($"{sample} was refused but its run exists (GET /events answered {(int)read.StatusCode})");
        });
    }
}
