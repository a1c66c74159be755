using System.Net;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>A fault inside one event line of a Delight payload quarantines that line only; the other lines are stored (issue 8 §2).</summary>
public sealed class DelightPayloadWithOneBadLineTests
{
    [Fact]
    public async Task A_delight_payload_with_one_bad_line_stores_the_others()
    {
        await using var server = await FuzzServer.StartAsync();
        await Property.CheckAsync(DelightCases.With(DelightCases.OneLine), async sample =>
        {
            server.Errors.Clear();
            using var response = await server.Delight.PostAsync(sample.Body);
            var body = await server.CheckAnswerAsync(response, sample.ToString());
            if (response.StatusCode != HttpStatusCode.OK) throw new FuzzAssertionException($"answered {(int)response.StatusCode} to {sample}: {body}");
            await StoredEvents.AssertOthersStoredAsync(server, sample.JobName, sample.RunId, sample.Lines, sample.Damage.Message!.Value, sample.ToString());
        });
    }
}
