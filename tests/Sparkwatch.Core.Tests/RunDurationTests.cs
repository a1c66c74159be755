using Sparkwatch.Core.Runs;

namespace Sparkwatch.Core.Tests;

/// <summary>Pairing application ends with attempts, and the status of a run without its end.</summary>
public sealed class RunDurationTests
{
    private static RunFacts Facts(long lastSeenAt, AttemptStart[] starts, long[] ends, bool uploadComplete = false) =>
        new("job", "run", 0, lastSeenAt, 0, 0, 0, null, null, uploadComplete, starts, ends);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void Each_end_closes_the_latest_attempt_started_before_it()
    {
        var duration = RunDuration.From(Facts(0, [new("2", 500), new("1", 100)], [900, 300]), 0, Timeout);

        Assert.Equal([("1", 200L), ("2", 400L)], duration.Attempts.Select(a => (a.AttemptId!, a.DurationMs!.Value)));
        Assert.Equal(400, duration.DurationMs);
        Assert.Equal(RunStatus.Completed, duration.Status);
    }

    [Fact]
    public void An_end_earlier_than_every_start_closes_the_first_attempt_flagged()
    {
        var duration = RunDuration.From(Facts(0, [new("1", 500), new("2", 900)], [400, 1000]), 0, Timeout);

        Assert.Equal([(-100L, true), (100L, false)], duration.Attempts.Select(a => (a.DurationMs!.Value, a.EndsBeforeStart)));
        Assert.All(duration.Attempts, a => Assert.Equal(RunStatus.Completed, a.Status));
        Assert.False(duration.EndsBeforeStart);
    }

    [Fact]
    public void A_failed_first_attempt_without_end_does_not_take_the_second_attempts_end()
    {
        var duration = RunDuration.From(Facts(0, [new("1", 100), new("2", 500)], [900]), 0, Timeout);

        Assert.Null(duration.Attempts[0].EndTime);
        Assert.Equal(400, duration.DurationMs);
    }

    [Fact]
    public void No_end_is_running_until_the_run_is_silent_past_the_timeout()
    {
        var facts = Facts(lastSeenAt: 1_000_000, [new(null, 100)], []);

        Assert.Equal(RunStatus.Running, RunDuration.From(facts, 1_000_000 + 599_000, Timeout).Status);
        Assert.Equal(RunStatus.Incomplete, RunDuration.From(facts, 1_000_000 + 601_000, Timeout).Status);
    }

    [Fact]
    public void An_upload_closed_without_end_is_incomplete_at_once()
    {
        Assert.Equal(RunStatus.Incomplete, RunDuration.From(Facts(0, [new(null, 100)], [], uploadComplete: true), 0, Timeout).Status);
    }
}
