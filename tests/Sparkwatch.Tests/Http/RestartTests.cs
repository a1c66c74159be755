using System.Collections.Concurrent;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>A crash after the 200 loses nothing, and a run that is still sending continues its log after a restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_run_survives_a_SIGKILL_mid_stream_with_every_acknowledged_message_present_once()
    {
        using var data = TestPaths.NewTempFolder();
        var log = SparkEventLog.Read(TestPaths.DelightExampleLog);
        var payloads = ListenerClient.Envelopes("job", "run", log.Lines, batchSize: 5).ToList();
        var acknowledged = new ConcurrentBag<int>();

        var service = await ServiceProcess.StartAsync(data.Path);
        var client = new ListenerClient(service.Client);
        // Concurrent senders keep the writer busy when the kill lands.
        var killAt = payloads.Count / 4;
        var sending = Parallel.ForEachAsync(Enumerable.Range(0, payloads.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            try
            {
                using var response = await client.PostAsync(payloads[i]);
                if (response.IsSuccessStatusCode) acknowledged.Add(i);
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        });
        while (acknowledged.Count < killAt) await Task.Delay(1);
        service.Kill();
        await sending;
        await service.DisposeAsync();
        Assert.InRange(acknowledged.Count, killAt, payloads.Count - 1);

        await using var restarted = await ServiceProcess.StartAsync(data.Path);
        var api = new SparkwatchApi(restarted.Client);
        var afterCrash = (await api.EventsAsync("job", "run")).ToHashSet();
        foreach (var i in acknowledged)
        {
            foreach (var line in ListenerEventLines(payloads[i])) Assert.Contains(line, afterCrash);
        }

        // The listener sends again everything it has not had a 200 for, and goes on.
        var retryClient = new ListenerClient(restarted.Client);
        foreach (var i in Enumerable.Range(0, payloads.Count).Except(acknowledged)) await retryClient.PostOkAsync(payloads[i]);

        Assert.Equal(log.ExpectedServedLines(), await api.EventsAsync("job", "run"));
        Assert.Equal(log.ExpectedDurationMs, (await api.DurationAsync("job", "run")).GetProperty("duration_ms").GetInt64());
    }

    private static IEnumerable<string> ListenerEventLines(string envelope) =>
        System.Text.Json.JsonDocument.Parse(envelope).RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => SparkEventLog.Redacted(m.GetProperty("content").GetString()!));
}
