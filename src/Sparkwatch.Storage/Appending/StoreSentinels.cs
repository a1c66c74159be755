namespace Sparkwatch.Storage.Appending;

/// <summary>Values the stores keep in columns that cannot hold "none", named once for both engines.</summary>
public static class StoreSentinels
{
    /// <summary>The <c>run_starts.attempt_id</c> of an application start without an <c>App Attempt ID</c> (single-attempt modes).</summary>
    public const string NoAttemptId = "";

    /// <summary>The <c>runs.max_seq</c> of a run that has no message yet: the first counter-less message gets seq 1.</summary>
    public const long NoSeq = 0;

    /// <summary>The <c>runs.last_payload_count</c> of a run without a payload that could be retried under new counters.</summary>
    public const int NoPayload = 0;
}
