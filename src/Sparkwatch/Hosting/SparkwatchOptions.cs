namespace Sparkwatch.Hosting;

/// <summary>All settings of the service, bound from the <c>Sparkwatch</c> configuration section (appsettings.json,
/// <c>SPARKWATCH__…</c> environment variables, command-line flags). Defaults live here and only here.</summary>
public sealed class SparkwatchOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Sparkwatch";

    /// <summary>Address(es) to listen on, separated by <c>;</c>: the Sparkwatch form of ASP.NET Core's <c>urls</c>, used when no
    /// <c>--urls</c>/<c>--listen</c> flag or <c>ASPNETCORE_URLS</c> is given; it outranks <c>ASPNETCORE_HTTP_PORTS</c>, and this
    /// default applies only when none of them is set. The listener's usual URL is <c>http://localhost:5000/collect</c>.</summary>
    public string Listen { get; set; } = "http://localhost:5000";

    /// <summary>Folder for the embedded store's files.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Which parts the process serves: <c>collector</c> (ingest), <c>query</c> (read API), <c>writer</c> (stores what
    /// collectors published to the broker; <see cref="Broker"/>), <c>sinks</c> (the accepted stream's consumers;
    /// <c>sink:NAME</c> for one) or all (default, also when empty). Empty by default because the configuration binder appends to a non-empty default array, so
    /// <c>--role collector</c> would otherwise still serve queries.</summary>
    public ServiceRole[] Roles { get; set; } = [];

    /// <summary>
    /// Ingest keys: one of them must come in the <c>X-API-key</c> header (or <c>Authorization: Bearer</c>) of ingest
    /// requests, and of reads too while <see cref="ReadApiKeys"/> is empty. Empty (default): ingest is open.
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>
    /// Read keys: when set, every read (all but ingest, health and the API description) needs one of them, and ingest
    /// keys no longer read. Empty (default): reads take the ingest keys, or are open when there are none.
    /// </summary>
    public string[] ReadApiKeys { get; set; } = [];

    /// <summary>
    /// Path prefixes under which the Delight agent's <c>/bulk</c>, <c>/heartbeat</c> and <c>/ack</c> are served: the path of
    /// <c>spark.delight.collector.url</c> (e.g. <c>http://host:5000/collector/</c> → <c>/collector</c>).
    /// </summary>
    public string[] DelightPrefixes { get; set; } = ["/collector"];

    /// <summary>A run with no application end that has been silent this long is reported <c>incomplete</c> instead of <c>running</c>.</summary>
    public TimeSpan RunSilenceTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Spark's <c>spark.redaction.regex</c> for runs that do not set their own: values of properties whose key or
    /// value match are redacted before storage, wherever Spark's event log redacts.</summary>
    public string RedactionRegex { get; set; } = Core.Events.SparkRedactor.SparkDefaultPattern;

    /// <summary>
    /// Keep the run model (jobs, stages, tasks, executors served by <c>/api/v1</c>): a sink of the accepted stream
    /// projects each run's events behind the acknowledgement, and a read of the model catches its run up first.
    /// <c>sparkwatch rebuild</c> recomputes it from stored events.
    /// </summary>
    public bool RunModel { get; set; } = true;

    /// <summary>How many runs' own <c>spark.redaction.regex</c> are remembered at once (for their later job, stage and SQL events).</summary>
    public int MaxRunRedactionPatterns { get; set; } = Core.Events.RunRedactors.DefaultCapacity;

    /// <summary>Limits on what clients may send and ask.</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>The group-commit writer.</summary>
    public WriterOptions Writer { get; set; } = new();

    /// <summary>The service's metrics at <c>/metrics</c>.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The embedded SQLite store.</summary>
    public Storage.Sqlite.SqliteStoreOptions Sqlite { get; set; } = new() { Path = "" };

    /// <summary>Which store holds the events: <c>sqlite</c> (default, one process, a file under the data directory) or
    /// <c>postgres</c> (several collector and query replicas; see <see cref="Postgres"/>).</summary>
    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    /// <summary>The PostgreSQL store, used when <see cref="Store"/> is <c>postgres</c>.</summary>
    public Storage.Postgres.PostgresStoreOptions Postgres { get; set; } = new();

    /// <summary>The sinks of the accepted stream and their pacing.</summary>
    public Sinks.SinkOptions Sinks { get; set; } = new();

    /// <summary>The broker between collectors and writers (none by default: the collector stores what it accepts).</summary>
    public Broker.BrokerOptions Broker { get; set; } = new();

    /// <summary>The run archive sink (docs/archive.md).</summary>
    public global::Sparkwatch.Archive.ArchiveOptions Archive { get; set; } = new();

    /// <summary>Retention of hot events behind the archive (off by default).</summary>
    public global::Sparkwatch.Retention.RetentionOptions Retention { get; set; } = new();

    /// <summary>True when the process runs the given role.</summary>
    public bool HasRole(ServiceRole role) => Roles.Length == 0 || Roles.Contains(role);
}

/// <summary>Limits; every refusal names the setting that caused it.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest request body accepted as sent (compressed or not), in bytes; larger bodies get 413.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest body once inflated, in bytes; a gzip body inflating past it gets 413 before it is inflated further.
    /// The listener's largest payload (10,000 messages) is tens of MB.</summary>
    public long MaxInflatedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Memory budget for payloads being read, decoded and stored at once, in bytes: every buffer a request takes (its body
    /// as it arrives, the inflated body, the decoded copy) is reserved at its real size. Past it, new buffers wait up to
    /// <see cref="InFlightWait"/>, then the request gets 503 with Retry-After.
    /// </summary>
    public long MaxInFlightBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long a payload waits for room in <see cref="MaxInFlightBytes"/> before it is refused.</summary>
    public TimeSpan InFlightWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowest accepted request body, in bytes per second, after <see cref="MinBodyRateGracePeriod"/>; a slower sender is cut off (408); 0 turns the check off.</summary>
    public double MinBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long a request body may arrive slower than <see cref="MinBodyBytesPerSecond"/> before it is cut off.</summary>
    public TimeSpan MinBodyRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest accepted <c>job_name</c> or <c>run_id</c>, in characters.</summary>
    public int MaxNameLength { get; set; } = 4096;

    /// <summary>Highest <c>message_counter</c> (Delight: <c>messageCounter</c>) accepted; a payload over it gets 400, as
    /// later seqs would wrap. At most 2^40 − 1 (the default), the store numbers streams above it.</summary>
    public long MaxMessageCounter { get; set; } = Core.Wire.WireCounters.DefaultMaxMessageCounter;

    /// <summary>Longest request line (method, path and query) in bytes; long percent-encoded names need room.</summary>
    public int MaxRequestLineBytes { get; set; } = 64 * 1024;

    /// <summary>Most items one page of a list endpoint returns (the <c>limit</c> query parameter is capped to it).</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Items per page when the client does not say.</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>
    /// Memory for computing a stage's task quantiles (<c>taskSummary</c>, <c>withSummaries</c>), in bytes: the metrics
    /// whose values fit (8 bytes per successful task each) are read in one scan and sorted in memory, one computation at
    /// a time; a stage too large for one metric is sorted by the store, one ordered scan per metric.
    /// </summary>
    public long TaskSummaryMemoryBytes { get; set; } = Model.TaskQuantilePlan.DefaultMemoryBytes;

    /// <summary>
    /// Memory for the values of quantile lists a client chose (not Spark's default lists, which are kept in the model),
    /// in bytes: a repeated <c>taskSummary?quantiles=…</c> of an unchanged stage is answered from it; least recently used
    /// lists go first. 0: computed on every request.
    /// </summary>
    public long ChosenQuantilesCacheBytes { get; set; } = Model.Api.SparkApi.DefaultChosenQuantilesCacheBytes;
}

/// <summary>The writer that commits payloads from concurrent requests together.</summary>
public sealed class WriterOptions
{
    /// <summary>Payloads waiting for the writer before new requests wait for room (backpressure).</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Most payloads committed in one transaction.</summary>
    public int MaxBatchesPerCommit { get; set; } = 64;

    /// <summary>Most events committed in one transaction (a commit closes once it holds this many).</summary>
    public int MaxEventsPerCommit { get; set; } = 50_000;
}

/// <summary>The service's metrics, served at <c>GET /metrics</c> in Prometheus' text format (docs/metrics.md).</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve <c>/metrics</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Serve <c>/metrics</c> without a key even when read keys are configured (for a scraper inside a trusted network).</summary>
    public bool AllowAnonymous { get; set; }
}
