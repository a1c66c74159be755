using CsCheck;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>Real Delight payloads damaged every way issue 8 §5 lists get a clear answer from the real pipeline, never a 5xx.</summary>
public sealed class MutatedDelightPayloadsTests
{
    [Fact]
    public async Task Damaged_delight_payloads_get_an_answer_never_a_server_error()
    {
        await using var server = await FuzzServer.StartAsync();
        await Property.CheckAsync(DelightCases.With(Gen.OneOf(DelightCases.Envelope, DelightCases.OneLine)), async sample =>
        {
            server.Errors.Clear();
            using var response = await server.Delight.PostAsync(sample.Body);
            await server.CheckAnswerAsync(response, sample.ToString());
        });
    }
}
