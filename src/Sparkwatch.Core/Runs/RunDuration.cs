namespace Sparkwatch.Core.Runs;

/// <summary>One attempt's span.</summary>
/// <param name="AttemptId">The attempt id, or <c>null</c> for single-attempt modes.</param>
/// <param name="StartTime">Application start <c>Timestamp</c>.</param>
/// <param name="EndTime">Application end <c>Timestamp</c>, when it has ended.</param>
/// <param name="Status">The attempt's own status.</param>
public sealed record AttemptDuration(string? AttemptId, long StartTime, long? EndTime, RunStatus Status)
{
    /// <summary>End − start in ms, when ended; negative when <see cref="EndsBeforeStart"/>.</summary>
    public long? DurationMs => EndTime - StartTime;

    /// <summary>True when the end's <c>Timestamp</c> is earlier than the start's (clock skew or a broken client): the
    /// attempt is completed, but its duration is negative and should not be trusted.</summary>
    public bool EndsBeforeStart => EndTime < StartTime;
}

/// <summary>The duration answer for a run: the latest attempt's span and every attempt's.</summary>
/// <param name="Status">The run's status (that of its latest attempt).</param>
/// <param name="StartTime">Latest attempt's start, when known.</param>
/// <param name="EndTime">Latest attempt's end, when known.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record RunDuration(RunStatus Status, long? StartTime, long? EndTime, IReadOnlyList<AttemptDuration> Attempts)
{
    /// <summary>End − start of the latest attempt in ms, when it has ended.</summary>
    public long? DurationMs => EndTime - StartTime;

    /// <summary>True when the latest attempt's end is earlier than its start (see <see cref="AttemptDuration.EndsBeforeStart"/>).</summary>
    public bool EndsBeforeStart => EndTime < StartTime;

    /// <summary>
    /// Pairs each application end with the attempt it closes — the latest attempt started at or before it — whatever
    /// order they arrived in. An end that precedes every start closes the first attempt when that one has no end of its
    /// own (its duration is then negative, flagged by <see cref="EndsBeforeStart"/>); without any start it is kept until
    /// its start comes.
    /// </summary>
    public static RunDuration From(RunFacts facts, long now, TimeSpan silenceTimeout)
    {
        var silent = now - facts.LastSeenAt > silenceTimeout.TotalMilliseconds;
        var openStatus = silent || facts.UploadComplete ? RunStatus.Incomplete : RunStatus.Running;
        var starts = facts.Starts.OrderBy(s => s.StartTime).ToList();
        var attempts = new List<AttemptDuration>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var nextStart = i + 1 < starts.Count ? starts[i + 1].StartTime : long.MaxValue;
            long? end = facts.EndTimes.Where(t => t >= starts[i].StartTime && t < nextStart).Cast<long?>().Min();
            // An end earlier than every start can only be the first attempt's, with its clock (or its client) off.
            if (end is null && i == 0) end = facts.EndTimes.Where(t => t < starts[0].StartTime).Cast<long?>().Max();
            attempts.Add(new AttemptDuration(starts[i].AttemptId, starts[i].StartTime, end, end is null ? openStatus : RunStatus.Completed));
        }
        if (attempts.Count == 0)
        {
            // An end without any start: the run did not send its beginning, so it can never be measured.
            var status = facts.EndTimes.Count > 0 ? RunStatus.Incomplete : openStatus;
            return new RunDuration(status, null, facts.EndTimes.Count > 0 ? facts.EndTimes.Max() : null, attempts);
        }
        var latest = attempts[^1];
        return new RunDuration(latest.Status, latest.StartTime, latest.EndTime, attempts);
    }
}
