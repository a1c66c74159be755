using System.Text.Json;
using Sparkwatch.Testing;
using Sparkwatch.Tests.SparkApi;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// Sinks keep their cursors in the store: after a SIGKILL in the middle of their work, the restarted process takes up
/// where they were, and every run's model ends up with each event once (nothing missed, nothing doubled).
/// </summary>
public sealed class SinkCatchUpAfterKillTests
{
    private const int Runs = 30;

    [Fact]
    public async Task Sinks_catch_up_after_a_SIGKILL_with_nothing_missed_or_doubled()
    {
        using var data = TestPaths.NewTempFolder();
        var log = SparkEventLog.Read(ShsExpectations.Logs[0]);
        var service = await ServiceProcess.StartAsync(data.Path);
        var client = new ListenerClient(service.Client);
        for (var run = 0; run < Runs; run++)
        {
            foreach (var envelope in ListenerClient.Envelopes("killed", $"r{run}", log.Lines, batchSize: 50)) await client.PostOkAsync(envelope);
        }
        // Kill while the model sink is still behind, if the machine lets us see it so.
        await WaitForModelAsync(service.Client, m => m.GetProperty("lag_events").GetInt64() < Runs * log.Lines.Count || m.GetProperty("lag_events").GetInt64() == 0);
        service.Kill();
        await service.DisposeAsync();

        await using var restarted = await ServiceProcess.StartAsync(data.Path);
        var model = await WaitForModelAsync(restarted.Client, m => m.GetProperty("lag_events").GetInt64() == 0);
        Assert.Equal(0, model.GetProperty("lag_events").GetInt64());

        var stage0TaskEnds = log.Lines.Count(l => l.Contains("\"SparkListenerTaskEnd\"", StringComparison.Ordinal) && l.Contains("\"Stage ID\":0,", StringComparison.Ordinal));
        var summaries = new HashSet<string>();
        for (var run = 0; run < Runs; run++)
        {
            var summary = await LiveRunTests.GetJsonAsync(restarted.Client, $"/job/killed/r{run}/summary");
            var stage0 = summary.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stageId").GetInt32() == 0);
            Assert.Equal(stage0TaskEnds, stage0.GetProperty("numCompleteTasks").GetInt32());
            summaries.Add(summary.GetProperty("jobs").GetRawText() + summary.GetProperty("stages").GetRawText());
        }
        // Same events, so the same jobs and stages in every run, whichever process projected them.
        Assert.Single(summaries);
    }

    private static async Task<JsonElement> WaitForModelAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var sinks = await LiveRunTests.GetJsonAsync(client, "/sinks");
            var model = sinks.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "model");
            if (done(model) || DateTime.UtcNow > deadline) return model;
            await Task.Delay(20);
        }
    }
}
