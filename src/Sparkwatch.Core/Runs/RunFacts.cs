namespace Sparkwatch.Core.Runs;

/// <summary>What the store keeps on a run's row as its events arrive, so run-level questions read one row.</summary>
/// <param name="JobName">The job.</param>
/// <param name="RunId">The run.</param>
/// <param name="FirstSeenAt">Server time (epoch ms) the run's first payload arrived.</param>
/// <param name="LastSeenAt">Server time (epoch ms) of the run's latest payload or heartbeat.</param>
/// <param name="SortTime">What runs are listed by, newest first: the latest attempt's start, else the earliest <c>generated_at</c>.</param>
/// <param name="EventCount">Events stored.</param>
/// <param name="QuarantinedCount">Messages kept aside as invalid.</param>
/// <param name="AppId">Spark application id from the application start, when seen.</param>
/// <param name="AppName">Spark application name from the application start, when seen.</param>
/// <param name="UploadComplete">True once the client said the upload is complete.</param>
/// <param name="Starts">Each application attempt's start.</param>
/// <param name="EndTimes">The <c>Timestamp</c> of each application end seen.</param>
public sealed record RunFacts(
    string JobName, string RunId, long FirstSeenAt, long LastSeenAt, long SortTime, long EventCount, long QuarantinedCount,
    string? AppId, string? AppName, bool UploadComplete, IReadOnlyList<AttemptStart> Starts, IReadOnlyList<long> EndTimes);

/// <summary>The start of one application attempt.</summary>
/// <param name="AttemptId">The <c>App Attempt ID</c>, or <c>null</c> when Spark gave none (single-attempt modes).</param>
/// <param name="StartTime">The application start's <c>Timestamp</c>.</param>
public sealed record AttemptStart(string? AttemptId, long StartTime);
