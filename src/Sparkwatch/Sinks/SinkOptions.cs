namespace Sparkwatch.Sinks;

/// <summary>The sinks of the accepted stream (<c>Sparkwatch:Sinks</c>) and how their runners pace themselves.</summary>
public sealed class SinkOptions
{
    /// <summary>
    /// The sinks this process runs, by name; every sink built in when empty. <c>--role sink:NAME</c> sets it. A store's
    /// sinks can run in any process over the same store, each run's payloads applied by one process at a time.
    /// </summary>
    public string[] Enabled { get; set; } = [];

    /// <summary>How often a sink looks for payloads committed by other processes (its own process's commits wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run stays with the process applying it before another may take it over (a killed process's runs are taken over after this).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Runs a sink claims at a time.</summary>
    public int RunsPerClaim { get; set; } = 32;

    /// <summary>Events a sink is handed per call (whole payloads: a payload larger than this comes whole).</summary>
    public int MaxEventsPerApply { get; set; } = 5000;

    /// <summary>The longest wait before a sink retries after its apply failed (waits double from one second up to this).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
