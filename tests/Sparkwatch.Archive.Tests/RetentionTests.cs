using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>Retention behind a local archive: hot events of completed, archived runs past their age leave the store, and are served from the archive as before.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task CompletedArchivedRunsPastTheAgeLeaveTheStoreAndServeTheSameEventsFromTheArchive()
    {
        await using var scenario = await RetentionScenario.StartAsync();
        var logsBefore = await scenario.SparkLogsAsync(scenario.AppIdOf(scenario.RunWithOwnAppId()));

        await scenario.RetainAsync(scenario.Completed);

        foreach (var run in scenario.Completed)
        {
            var (rows, bytes, archived) = await scenario.StoredAsync(run);
            Assert.Equal(0, bytes);
            Assert.Equal(scenario.Before[run].All.Count, rows);
            Assert.Equal(rows, archived);
            await scenario.AssertServedAsBeforeAsync(run);
        }
        Assert.Equal(HttpStatusCode.OK, logsBefore.Status);
        Assert.Equal(logsBefore, await scenario.SparkLogsAsync(scenario.AppIdOf(scenario.RunWithOwnAppId())));
        var duration = await scenario.Api.DurationAsync(RetentionScenario.Job, scenario.Completed[0]);
        Assert.Equal("completed", duration.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RunningYoungAndUnfinishedRunsKeepTheirEventsInTheStore()
    {
        await using var scenario = await RetentionScenario.StartAsync();
        var unfinished = scenario.Completed[0];
        var missingPart = scenario.Completed[1];
        var statePath = Path.Combine(scenario.Server.DataDirectory, "archive", ArchiveNames.State(ArchiveNames.RunHash(new RunKey(RetentionScenario.Job, unfinished))));
        // Wait until the archive has finished both (no open part), then make one look unfinished and take a part of the other.
        await WaitAsync(() => State(statePath)["completed"]!.GetValue<bool>() && State(statePath)["chunks"]!.AsArray().Count == 0);
        var young = await scenario.Retainer.RetainDueAsync(TimeSpan.FromHours(1), default);
        var state = State(statePath);
        state["completed"] = false;
        await File.WriteAllTextAsync(statePath, state.ToJsonString());
        var part = Directory.GetFiles(Path.Combine(scenario.Server.DataDirectory, "archive"), "events_1_*", SearchOption.AllDirectories)
            .Single(p => p.Contains(ArchiveNames.RunHash(new RunKey(RetentionScenario.Job, missingPart))[..12], StringComparison.Ordinal));
        File.Delete(part);

        await scenario.RetainAsync([.. scenario.Completed.Except([unfinished, missingPart])]);

        Assert.Equal(new Sparkwatch.Retention.RetentionPass(0, 0, 0), young);
        foreach (var run in new[] { scenario.Running, unfinished, missingPart })
        {
            var (rows, bytes, archived) = await scenario.StoredAsync(run);
            Assert.True(bytes > 0, run);
            Assert.Equal(0, archived);
            Assert.Equal(scenario.Before[run].All.Count, rows);
            await scenario.AssertServedAsBeforeAsync(run);
        }
    }

    [Fact]
    public async Task ARetainedRunWhosePartIsGoneAnswersAProblemNamingThePart()
    {
        await using var scenario = await RetentionScenario.StartAsync();
        var run = scenario.RunWithOwnAppId();
        await scenario.RetainAsync([run]);
        var hash = ArchiveNames.RunHash(new RunKey(RetentionScenario.Job, run))[..12];
        var part = Directory.GetFiles(Path.Combine(scenario.Server.DataDirectory, "archive"), "events_1_*", SearchOption.AllDirectories).Single(p => p.Contains(hash, StringComparison.Ordinal));
        File.Delete(part);

        using var events = await scenario.Server.Client.GetAsync($"/job/{RetentionScenario.Job}/{Uri.EscapeDataString(run)}/events");
        var problem = JsonDocument.Parse(await events.Content.ReadAsStringAsync()).RootElement;
        var logs = await scenario.SparkLogsAsync(scenario.AppIdOf(run));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, events.StatusCode);
        Assert.Equal("application/problem+json", events.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:sparkwatch:problem:archive-unavailable", problem.GetProperty("type").GetString());
        Assert.Contains(Path.GetFileName(part), problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, logs.Status);
    }

    [Fact]
    public async Task ARetainedRunWhosePartIsCorruptAnswersAProblemOrACutConnectionNeverA500OrACleanShortStream()
    {
        await using var scenario = await RetentionScenario.StartAsync();
        var (garbled, truncated) = (scenario.Completed[1], scenario.Completed[0]);
        await scenario.RetainAsync([garbled, truncated]);
        // The first part's opening bytes garbled: the first event already fails, before anything is sent.
        var first = PartOf(scenario, garbled);
        var bytes = await File.ReadAllBytesAsync(first);
        Array.Fill(bytes, (byte)'x', 0, Math.Min(64, bytes.Length));
        await File.WriteAllBytesAsync(first, bytes);
        // The first part of a run posted in order cut in half: it fails after many events are sent.
        var cut = PartOf(scenario, truncated);
        await File.WriteAllBytesAsync(cut, (await File.ReadAllBytesAsync(cut))[..(int)(new FileInfo(cut).Length / 2)]);

        using var garbledEvents = await scenario.Server.Client.GetAsync($"/job/{RetentionScenario.Job}/{Uri.EscapeDataString(garbled)}/events");
        var problem = JsonDocument.Parse(await garbledEvents.Content.ReadAsStringAsync()).RootElement;
        var truncatedRead = await ReadEventsToTheEndAsync(scenario, truncated);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, garbledEvents.StatusCode);
        Assert.Equal("urn:sparkwatch:problem:archive-unavailable", problem.GetProperty("type").GetString());
        Assert.Contains(Path.GetFileName(first), problem.GetProperty("detail").GetString());
        Assert.True(truncatedRead.Status is HttpStatusCode.ServiceUnavailable or null, $"the cut part answered {truncatedRead.Status}");
    }

    [Fact]
    public async Task AnEventTypeHoldingANulCharacterIsRefusedAsAnInvalidQuery()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var log = SparkEventLog.Read(SparkEventLog.SharedLogPaths().First());
        foreach (var envelope in ListenerClient.Envelopes(RetentionScenario.Job, "nul", log.Lines.Take(20), batchSize: 20)) await new ListenerClient(server.Client).PostOkAsync(envelope);

        using var events = await server.Client.GetAsync($"/job/{RetentionScenario.Job}/nul/events?type=SparkListenerJobStart&type=Spark%00ListenerJobStart");
        var problem = JsonDocument.Parse(await events.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, events.StatusCode);
        Assert.Equal("urn:sparkwatch:problem:invalid-query", problem.GetProperty("type").GetString());
    }

    /// <summary>The status of <c>/events</c> when it answered a problem or ended cleanly; null when the stream broke off.</summary>
    private static async Task<(HttpStatusCode? Status, string Body)> ReadEventsToTheEndAsync(RetentionScenario scenario, string run)
    {
        try
        {
            using var response = await scenario.Server.Client.GetAsync($"/job/{RetentionScenario.Job}/{Uri.EscapeDataString(run)}/events", HttpCompletionOption.ResponseHeadersRead);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (null, "");
        }
        catch (IOException)
        {
            return (null, "");
        }
    }

    private static string PartOf(RetentionScenario scenario, string run)
    {
        var hash = ArchiveNames.RunHash(new RunKey(RetentionScenario.Job, run))[..12];
        return Directory.GetFiles(Path.Combine(scenario.Server.DataDirectory, "archive"), "events_1_*", SearchOption.AllDirectories).Single(p => p.Contains(hash, StringComparison.Ordinal));
    }

    private static JsonNode State(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100);
        }
    }
}
