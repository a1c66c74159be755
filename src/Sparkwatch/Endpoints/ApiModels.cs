using System.Text.Json.Serialization;
using Sparkwatch.Core.Runs;

namespace Sparkwatch.Endpoints;

/// <summary>What <c>POST /collect</c> did with a payload. Stored locally (no broker), it counts what was new; published to
/// JetStream (<c>Broker:Kind=nats</c>), the store is written later by a writer, so it counts what the payload held
/// (<see cref="EventsAccepted"/>) and leaves out <see cref="EventsStored"/> and <see cref="Duplicates"/>.</summary>
/// <param name="EventsStored">New events stored (no broker only).</param>
/// <param name="Duplicates">Messages already stored for their seq (retries), ignored (no broker only).</param>
/// <param name="Quarantined">Messages kept aside because their content is not a valid Spark event (with a broker: in this payload, retried or not).</param>
/// <param name="Heartbeats">Heartbeats received (they update the run's last-seen time only).</param>
/// <param name="EventsAccepted">Valid events of the payload, durable in JetStream, to be stored once each by a writer (with a broker only).</param>
public sealed record CollectResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EventsStored,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Duplicates,
    int Quarantined, int Heartbeats,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EventsAccepted = null);

/// <summary>A job in the job list.</summary>
/// <param name="JobName">The job name.</param>
/// <param name="RunCount">How many runs it has.</param>
/// <param name="LastSeenAt">When it last sent anything (epoch ms, server time).</param>
public sealed record JobItem(string JobName, long RunCount, long LastSeenAt);

/// <summary>A page of jobs, sorted by name (ordinal, case-sensitive).</summary>
/// <param name="Jobs">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; <c>null</c> on the last page.</param>
public sealed record JobListResponse(IReadOnlyList<JobItem> Jobs, string? NextCursor);

/// <summary>A run in a job's run list.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Status">running, completed or incomplete.</param>
/// <param name="AppId">Spark application id, once the application start arrived.</param>
/// <param name="AppName">Spark application name, once the application start arrived.</param>
/// <param name="StartTime">Latest attempt's start (epoch ms, from the event).</param>
/// <param name="EndTime">Latest attempt's end (epoch ms, from the event).</param>
/// <param name="DurationMs">End − start, once ended.</param>
/// <param name="EventCount">Events stored.</param>
/// <param name="QuarantinedCount">Messages quarantined.</param>
/// <param name="FirstSeenAt">First payload received (epoch ms, server time).</param>
/// <param name="LastSeenAt">Latest payload or heartbeat received (epoch ms, server time).</param>
public sealed record RunItem(string RunId, RunStatus Status, string? AppId, string? AppName, long? StartTime, long? EndTime, long? DurationMs,
    long EventCount, long QuarantinedCount, long FirstSeenAt, long LastSeenAt)
{
    /// <summary>Builds the item from the run's stored facts.</summary>
    public static RunItem From(RunFacts facts, RunDuration duration) => new(facts.RunId, duration.Status, facts.AppId, facts.AppName,
        duration.StartTime, duration.EndTime, duration.DurationMs, facts.EventCount, facts.QuarantinedCount, facts.FirstSeenAt, facts.LastSeenAt);
}

/// <summary>A page of a job's runs, newest first (by the latest attempt's start, else the first event's time).</summary>
/// <param name="JobName">The job.</param>
/// <param name="Runs">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; <c>null</c> on the last page.</param>
public sealed record RunListResponse(string JobName, IReadOnlyList<RunItem> Runs, string? NextCursor);

/// <summary>One application attempt's duration.</summary>
/// <param name="AttemptId">Spark's <c>App Attempt ID</c>, or <c>null</c> when it gave none.</param>
/// <param name="Status">The attempt's status.</param>
/// <param name="StartTime">Application start <c>Timestamp</c>.</param>
/// <param name="EndTime">Application end <c>Timestamp</c>, once ended.</param>
/// <param name="DurationMs">End − start, once ended.</param>
/// <param name="EndsBeforeStart">True when the end's Timestamp is earlier than the start's: completed, but the (negative) duration is not to be trusted.</param>
public sealed record AttemptItem(string? AttemptId, RunStatus Status, long StartTime, long? EndTime, long? DurationMs, bool EndsBeforeStart);

/// <summary>How long a run took: its latest attempt's application end − application start, from the events' own timestamps.</summary>
/// <param name="JobName">The job.</param>
/// <param name="RunId">The run.</param>
/// <param name="Status">running (no end yet), completed, or incomplete (no end and silent past the timeout, or upload closed without one).</param>
/// <param name="StartTime">Latest attempt's start (epoch ms).</param>
/// <param name="EndTime">Latest attempt's end (epoch ms).</param>
/// <param name="DurationMs">End − start in ms; <c>null</c> until the run has ended.</param>
/// <param name="EndsBeforeStart">True when the latest attempt's end Timestamp is earlier than its start: completed, but the (negative) duration is not to be trusted.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record DurationResponse(string JobName, string RunId, RunStatus Status, long? StartTime, long? EndTime, long? DurationMs, bool EndsBeforeStart, IReadOnlyList<AttemptItem> Attempts);

/// <summary>A message that was kept aside.</summary>
/// <param name="Seq">Run-wide sequence number.</param>
/// <param name="GeneratedAt">Client time (epoch ms).</param>
/// <param name="ReceivedAt">Server time (epoch ms).</param>
/// <param name="Reason">Why it is not stored as an event.</param>
/// <param name="Content">The content as received (UTF-8 decoded).</param>
public sealed record QuarantinedItem(long Seq, long GeneratedAt, long ReceivedAt, string Reason, string Content);

/// <summary>A page of a run's quarantined messages, in seq order.</summary>
/// <param name="JobName">The job.</param>
/// <param name="RunId">The run.</param>
/// <param name="Messages">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; <c>null</c> on the last page.</param>
public sealed record QuarantineResponse(string JobName, string RunId, IReadOnlyList<QuarantinedItem> Messages, string? NextCursor);
