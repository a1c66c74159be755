using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparkwatch.Core.Ingest;

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
