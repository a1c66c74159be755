using System.Net;
using System.Text;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// Senders whose bodies trickle in hold memory only for the bytes they have sent, so a crowd of them cannot fill the
/// memory budget and lock out the listeners that send at full speed.
/// </summary>
public sealed class SlowSenderTests
{
    private const int SlowSendersPerReceiver = 20;

    [Fact]
    public async Task Slow_senders_on_both_receivers_do_not_lock_out_a_listener_and_are_stored_once_they_finish()
    {
        // 40 slow senders reserving the old 128 KiB each before their first byte would need 5 MiB.
        await using var server = await ServerUnderTest.StartAsync(null,
            "--Sparkwatch:Limits:MaxInFlightBytes=1048576", "--Sparkwatch:Limits:InFlightWait=00:00:01");
        var slow = new List<(RawPost Post, byte[] Body)>();
        for (var i = 0; i < SlowSendersPerReceiver; i++)
        {
            var listenerBody = Encoding.UTF8.GetBytes(ListenerEnvelope.Build("slow", $"listener-{i}", 1, Message.Event(1, extra: $",\"pad\":\"{new string('x', 2000)}\"")));
            slow.Add((await RawPost.StartAsync(server.BaseAddress, "/collect", listenerBody.Length), listenerBody));
            var delightBody = Encoding.UTF8.GetBytes(IngestBodies.DelightBulk($"slow-delight-{i}", IngestBodies.Gzip(Encoding.UTF8.GetBytes(IngestBodies.EventLine(1)))));
            slow.Add((await RawPost.StartAsync(server.BaseAddress, "/collector/bulk", delightBody.Length), delightBody));
        }
        // Every slow sender has sent its first bytes and the server waits for the rest.
        foreach (var (post, body) in slow) await post.SendAsync(body.AsMemory(0, 100));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var client = new ListenerClient(server.Client);
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync(ListenerEnvelope.Build("fast", "r", i + 1, Message.Event(i + 1)));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"a listener sending at full speed got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        foreach (var (post, body) in slow) await post.SendAsync(body.AsMemory(100));
        foreach (var (post, _) in slow)
        {
            await using var _ = post;
            Assert.Equal(HttpStatusCode.OK, await post.ReadStatusAsync());
        }
        Assert.Equal(SlowSendersPerReceiver, (await new SparkwatchApi(server.Client).AllRunIdsAsync("slow")).Count);
    }
}
