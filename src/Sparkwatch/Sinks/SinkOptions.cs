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

    /// <summary>
    /// Sinks give way to ingest: while this process committed payloads within this period, a sink waits instead of
    /// taking CPU and the store's writer from the acknowledgements, until its lag reaches <see cref="MaxDeferral"/>.
    /// Zero (default) turns the deferral off: sinks run as soon as there is work. Worth it only on a machine that ingest
    /// saturates (docs/benchmarks.md); a busy platform commits all the time, so its sinks would always lag by about
    /// <see cref="MaxDeferral"/>.
    /// </summary>
    public TimeSpan IngestQuietPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>The lag (age of the oldest payload a sink has not applied) past which a sink works even while ingest is busy.</summary>
    public TimeSpan MaxDeferral { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Memory for the payloads this process has just committed, kept for its sinks so they need not read them back from
    /// the store (64 MiB by default; 0 turns it off: every payload is read back). Payloads beyond it, or committed by
    /// other processes, are read from the store as before.
    /// </summary>
    public long HandoffBytes { get; set; } = 64L << 20;

    /// <summary>
    /// The <c>model</c> sink computes and keeps the task summaries the service asks for by default (<c>taskSummary</c>,
    /// <c>withSummaries</c>, the dashboard's slowest stages) of each stage attempt its events completed, right after it
    /// projected them, so the first read of a finished stage does not scan its tasks. Off: the first read computes them.
    /// </summary>
    public bool KeepStageSummaries { get; set; } = true;

    /// <summary>The longest wait before a sink retries after its apply failed (waits double from one second up to this).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
