using CsCheck;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>Real listener payloads damaged every way issue 8 §5 lists get a clear answer from the real pipeline, never a 5xx.</summary>
public sealed class MutatedListenerPayloadsTests
{
    [Fact]
    public async Task Damaged_listener_payloads_get_an_answer_never_a_server_error()
    {
        await using var server = await FuzzServer.StartAsync();
        var damages = Gen.OneOf(ListenerCases.Envelope, ListenerCases.OneMessage, Values.BodyBytes, Values.GzipBytes);
        await Property.CheckAsync(ListenerCases.With(damages), async sample =>
        {
            server.Errors.Clear();
            using var response = await server.Listener.PostBytesAsync(sample.Body, sample.Gzip);
            await server.CheckAnswerAsync(response, sample.ToString());
        });
    }
}
