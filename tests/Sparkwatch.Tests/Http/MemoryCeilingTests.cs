using System.Net;
using System.Text;
using Sparkwatch.Testing;
using Xunit.Abstractions;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// Gzip bombs and slow senders on both receivers at once, against the real executable: its peak resident memory stays
/// under the in-flight budget plus a stated constant, and a listener sending at the same time is served.
/// </summary>
public sealed class MemoryCeilingTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const long InflatedLimit = 64 * MiB;
    private const long Budget = 96 * MiB;
    // What the process may take beyond the budget: zlib state and buffers per request, Kestrel's buffers, GC slack.
    private const long Slack = 64 * MiB;

    [Fact]
    public async Task Concurrent_gzip_bombs_and_slow_senders_stay_under_the_budget_and_a_listener_is_served()
    {
        using var folder = TestPaths.NewTempFolder();
        await using var service = await ServiceProcess.StartAsync(folder.Path, "--Logging:LogLevel:Default=Warning",
            $"--Sparkwatch:Limits:MaxInflatedBytes={InflatedLimit}", $"--Sparkwatch:Limits:MaxInFlightBytes={Budget}",
            "--Sparkwatch:Limits:InFlightWait=00:00:05");
        var listener = new ListenerClient(service.Client);
        for (var i = 1; i <= 20; i++) await listener.PostOkAsync(ListenerEnvelope.Build("warm-up", "r", i, Message.Event(i)));
        var bomb = IngestBodies.Bomb(200 * MiB);
        // The same bomb claiming in its trailer to inflate to less than the limit.
        var lyingBomb = IngestBodies.DeclaringSize(bomb, (uint)(48 * MiB));
        var baseline = ResidentBytes(service.ProcessId);
        ResetPeak(service.ProcessId);

        var attacks = new List<Task<HttpResponseMessage>>();
        foreach (var gzip in (byte[][])[bomb, bomb, bomb, lyingBomb])
        {
            attacks.Add(listener.PostBytesAsync(gzip, gzip: true));
            attacks.Add(IngestBodies.PostDelightAsync(service.Client, IngestBodies.DelightBulk("bomb", gzip)));
        }
        var slow = Enumerable.Range(0, 10).Select(i => SlowlyAsync(service.BaseAddress, i)).ToList();
        for (var i = 1; i <= 20; i++)
        {
            using var response = await listener.PostAsync(ListenerEnvelope.Build("served", "r", i, Message.Event(i)));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the listener got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        foreach (var attack in attacks)
        {
            using var response = await attack;
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.ServiceUnavailable,
                $"a bomb got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        foreach (var status in await Task.WhenAll(slow)) Assert.Equal(HttpStatusCode.OK, status);

        var peak = PeakResidentBytes(service.ProcessId);
        output.WriteLine($"baseline RSS {baseline / MiB} MiB, peak {peak / MiB} MiB ({(peak - baseline) / MiB} MiB over it)");
        Assert.True(peak <= baseline + Budget + Slack,
            $"peak RSS {peak / MiB} MiB, baseline {baseline / MiB} MiB: {(peak - baseline) / MiB} MiB over it, more than the budget ({Budget / MiB} MiB) + {Slack / MiB} MiB");
    }

    /// <summary>Sends a listener payload (even senders) or a Delight one (odd) in 10 pieces over about 2 s.</summary>
    private static async Task<HttpStatusCode> SlowlyAsync(Uri baseAddress, int sender)
    {
        var body = Encoding.UTF8.GetBytes(sender % 2 == 0
            ? ListenerEnvelope.Build("slow", $"r{sender}", 1, Message.Event(1, extra: $",\"pad\":\"{new string('x', 3000)}\""))
            : IngestBodies.DelightBulk($"slow-{sender}", IngestBodies.Gzip(Encoding.UTF8.GetBytes(IngestBodies.EventLine(1)))));
        await using var post = await RawPost.StartAsync(baseAddress, sender % 2 == 0 ? "/collect" : "/collector/bulk", body.Length);
        foreach (var piece in body.Chunk((body.Length + 9) / 10))
        {
            await post.SendAsync(piece);
            await Task.Delay(200);
        }
        return await post.ReadStatusAsync();
    }

    private static long ResidentBytes(int pid) => StatusKiB(pid, "VmRSS:") * 1024;

    private static long PeakResidentBytes(int pid) => StatusKiB(pid, "VmHWM:") * 1024;

    /// <summary>Resets the process's peak RSS to its current RSS (Linux: <c>echo 5 &gt; /proc/pid/clear_refs</c>).</summary>
    private static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    private static long StatusKiB(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }
}
