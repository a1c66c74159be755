using Microsoft.Extensions.Time.Testing;
using Sparkwatch.Archive.Targets;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>The archive in a local folder, fed the shared data as the accepted stream would feed it.</summary>
public sealed class LocalArchiveTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(50));

    private string Root => Path.Combine(_folder.Path, "archive");

    [Theory]
    [InlineData("zstd")]
    [InlineData("lz4")]
    [InlineData("snappy")]
    [InlineData("none")]
    public async Task EveryArchivedRunReadsBackAsItsEventsInCompletePartsThatSparksCodecsDecode(string codec)
    {
        var runs = SourceRuns.All();
        // Small parts, so the larger logs roll into several.
        var archiver = Archiver(new ArchiveOptions { Codec = codec, MaxPartBytes = 64 * 1024 });
        foreach (var run in runs) await archiver.ApplyAsync(run.Run, run.Events, default);

        var logs = ArchiveFolder.Logs(Root);
        Assert.Equal(runs.Count, logs.Count);
        foreach (var run in runs)
        {
            var (log, lines) = Assert.Single(logs, l => l.Lines.SequenceEqual(run.Lines));
            Assert.False(log.InProgress, $"{log.Name} is still in progress");
            Assert.All(log.Parts, p => Assert.Equal(codec == "none" ? "" : "." + codec, Path.GetExtension(p)));
        }
        Assert.Contains(logs, l => l.Log.Parts.Count > 1);
        var decodedByJava = ArchiveFolder.AssertJavaDecodesEveryPart(Root);
        Assert.True(codec == "none" ? decodedByJava == 0 : decodedByJava > runs.Count);
    }

    [Fact]
    public async Task ARunFolderIsNamedAsSparkNamesItPlusTheRunsHashAndOnlyItsFolderIsSeenBySpark()
    {
        var run = SourceRuns.FromLog(Path.Combine(TestPaths.SparkEvents, "application_1538416563558_0014"));
        await Archiver(new ArchiveOptions()).ApplyAsync(run.Run, run.Events, default);

        var stem = $"application_1538416563558_0014_sw{ArchiveNames.RunHash(run.Run)[..12]}";
        var folder = Assert.Single(Directory.GetDirectories(Root), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.Equal($"eventlog_v2_{stem}", Path.GetFileName(folder));
        Assert.Equal([$"appstatus_{stem}", $"events_1_{stem}.zstd"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(Root), f => Assert.StartsWith(".", Path.GetFileName(f)));
    }

    [Fact]
    public async Task TwoRunsWithTheSameApplicationIdGetTheirOwnFolders()
    {
        var log = SourceRuns.FromLog(Path.Combine(TestPaths.SparkEvents, "local-1422981759269"));
        var archiver = Archiver(new ArchiveOptions());
        await archiver.ApplyAsync(new RunKey("nightly", "a"), log.Events, default);
        await archiver.ApplyAsync(new RunKey("hourly", "a"), log.Events, default);

        var logs = ArchiveFolder.Logs(Root);
        Assert.Equal(2, logs.Count);
        Assert.All(logs, l => Assert.Equal(log.Lines, l.Lines));
        Assert.All(logs, l => Assert.StartsWith("eventlog_v2_local-1422981759269_sw", l.Log.Name));
    }

    [Fact]
    public async Task ARunWithoutAnApplicationStartIsNamedByItsJobAndRunMadeSafeForAPath()
    {
        var log = SourceRuns.FromLog(Path.Combine(TestPaths.SparkEvents, "local-1422981759269"));
        var events = log.Events.Where(e => e.EventType != "SparkListenerApplicationStart").ToArray();
        await Archiver(new ArchiveOptions()).ApplyAsync(new RunKey("team/etl daily.v2", "run:7"), events, default);

        var (archived, lines) = Assert.Single(ArchiveFolder.Logs(Root));
        Assert.StartsWith("eventlog_v2_team-etl-daily-v2-run-7_sw", archived.Name);
        Assert.Equal(events.Select(e => System.Text.Encoding.UTF8.GetString(e.Json)), lines);
    }

    [Fact]
    public async Task ApplyingEventsAgainAfterACrashLeavesTheArchiveAsIfEachWasAppliedOnce()
    {
        var runs = SourceRuns.All();
        var options = new ArchiveOptions { MaxPartBytes = 64 * 1024 };
        var archiver = Archiver(options);
        foreach (var run in runs) await archiver.ApplyAsync(run.Run, run.Events, default);
        var once = ArchiveFolder.Snapshot(Root);

        // The same events again, as after a crash before the cursor moved: whole, and in overlapping pieces.
        foreach (var run in runs)
        {
            await archiver.ApplyAsync(run.Run, run.Events, default);
            var (before, from) = run.SplitAt(run.Events[^1].Position / 2 + 1);
            await Archiver(options).ApplyAsync(run.Run, [.. before.TakeLast(3), .. from], default);
        }

        Assert.Equal(once.Keys, ArchiveFolder.Snapshot(Root).Keys);
        Assert.All(ArchiveFolder.Snapshot(Root), f => Assert.Equal(once[f.Key], f.Value));
    }

    [Fact]
    public async Task ARunStoppedHalfWayIsInProgressWithItsEventsSoFarAndCompleteOnceTheRestComes()
    {
        var run = SourceRuns.FromLog(Path.Combine(TestPaths.SparkEvents, "app-20161116163331-0000"), batch: 10);
        var (before, from) = run.SplitAt(run.Events[run.Events.Count / 2].Position);
        Assert.NotEmpty(before);
        var archiver = Archiver(new ArchiveOptions { RollInterval = TimeSpan.FromMinutes(1) });

        await archiver.ApplyAsync(run.Run, before, default);
        Assert.Empty(ArchiveFolder.Logs(Root));
        _time.Advance(TimeSpan.FromMinutes(1));
        await archiver.RollDueAsync(default);
        var (half, halfLines) = Assert.Single(ArchiveFolder.Logs(Root));
        Assert.True(half.InProgress);
        Assert.Single(Directory.GetFiles(Path.Combine(Root, half.Name), "appstatus_*.inprogress"));
        Assert.Equal(before.Select(e => System.Text.Encoding.UTF8.GetString(e.Json)), halfLines);

        // A new process (its in-memory state gone) takes the rest.
        await Archiver(new ArchiveOptions()).ApplyAsync(run.Run, from, default);
        var (done, lines) = Assert.Single(ArchiveFolder.Logs(Root));
        Assert.False(done.InProgress);
        Assert.Equal(2, done.Parts.Count);
        Assert.Equal(run.Lines, lines);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, half.Name), "*.inprogress"));
    }

    [Fact]
    public async Task ALiveRunsEventsReachAPartWithinTheRollIntervalEvenWhenNothingMoreComes()
    {
        var run = SourceRuns.FromLog(Path.Combine(TestPaths.SparkEvents, "local-1430917381534"));
        var (before, _) = run.SplitAt(3);
        var archiver = Archiver(new ArchiveOptions { RollInterval = TimeSpan.FromSeconds(30) });
        await archiver.ApplyAsync(run.Run, before, default);

        _time.Advance(TimeSpan.FromSeconds(29));
        await archiver.RollDueAsync(default);
        Assert.Empty(ArchiveFolder.Logs(Root));
        _time.Advance(TimeSpan.FromSeconds(1));
        await archiver.RollDueAsync(default);
        Assert.Equal(before.Count, Assert.Single(ArchiveFolder.Logs(Root)).Lines.Count);
    }

    [Fact]
    public async Task AnArchiverStartedLaterClosesTheOpenPartsAnEarlierOneLeft()
    {
        var run = SourceRuns.FromLog(Path.Combine(TestPaths.SparkEvents, "local-1430917381534"));
        var (before, _) = run.SplitAt(3);
        await Archiver(new ArchiveOptions()).ApplyAsync(run.Run, before, default);

        var later = Archiver(new ArchiveOptions());
        await later.ResumeAsync(await later.OpenRunsAsync(default), default);
        _time.Advance(TimeSpan.FromMinutes(1));
        await later.RollDueAsync(default);
        Assert.Equal(before.Count, Assert.Single(ArchiveFolder.Logs(Root)).Lines.Count);
    }

    private RunArchiver Archiver(ArchiveOptions options) =>
        new(new LocalArchiveTarget(Root), options, Path.Combine(_folder.Path, "spool"), _time);

    public void Dispose() => _folder.Dispose();
}
