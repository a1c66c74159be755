using System.Net;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// A fault inside one message quarantines that message only (issue 8 §2): the payload is acknowledged and every other
/// message reads back, so the listener, which retries every non-200 for ever, is never stuck.
/// </summary>
public sealed class ListenerPayloadWithOneBadMessageTests
{
    [Fact]
    public async Task A_listener_payload_with_one_bad_message_stores_the_others()
    {
        await using var server = await FuzzServer.StartAsync();
        await Property.CheckAsync(ListenerCases.With(ListenerCases.OneMessage), async sample =>
        {
            server.Errors.Clear();
            using var response = await server.Listener.PostBytesAsync(sample.Body, sample.Gzip);
            var body = await server.CheckAnswerAsync(response, sample.ToString());
            if (response.StatusCode != HttpStatusCode.OK) throw new FuzzAssertionException($"answered {(int)response.StatusCode} to {sample}: {body}");
            await StoredEvents.AssertOthersStoredAsync(server, sample.JobName!, sample.RunId!, sample.Contents, sample.Damage.Message!.Value, sample.ToString());
        });
    }
}
