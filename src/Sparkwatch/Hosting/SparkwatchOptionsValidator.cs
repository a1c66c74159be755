using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sparkwatch.Hosting;

/// <summary>Checks the settings once at start-up; every message names the setting to change and what it accepts.</summary>
public sealed class SparkwatchOptionsValidator : IValidateOptions<SparkwatchOptions>
{
    private const string S = SparkwatchOptions.Section;

    /// <summary>Validates <paramref name="options"/> or throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static SparkwatchOptions Check(SparkwatchOptions options)
    {
        var result = new SparkwatchOptionsValidator().Validate(null, options);
        if (result.Failed) throw new OptionsValidationException(SparkwatchOptions.Section, typeof(SparkwatchOptions), result.Failures);
        return options;
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SparkwatchOptions options)
    {
        var problems = new List<string>();
        void Require(bool ok, string problem)
        {
            if (!ok) problems.Add(problem);
        }

        Require(Enum.IsDefined(options.Store), $"{S}:Store must be sqlite or postgres, not '{options.Store}'.");
        Require(options.Roles.All(Enum.IsDefined), $"{S}:Roles must list some of collector, query, writer, sinks, sink:NAME.");
        Require(options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .All(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)),
            $"{S}:Listen must be http:// or https:// addresses separated by ';', not '{options.Listen}'.");
        Require(!string.IsNullOrWhiteSpace(options.DataDirectory), $"{S}:DataDirectory must name a folder.");
        Require(options.DelightPrefixes.All(p => p.StartsWith('/')), $"{S}:DelightPrefixes must be paths starting with '/'.");
        Require(options.RunSilenceTimeout > TimeSpan.Zero, $"{S}:RunSilenceTimeout must be positive, not {options.RunSilenceTimeout}.");
        Require(IsRegex(options.RedactionRegex), $"{S}:RedactionRegex is not a valid regular expression: '{options.RedactionRegex}'.");
        Limits(options.Limits, Require);
        Writer(options.Writer, Require);
        SinkSettings(options.Sinks, Require);
        BrokerSettings(options, Require);
        Require(Enum.IsDefined(options.Sqlite.Synchronous), $"{S}:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not '{options.Sqlite.Synchronous}'.");
        Require(options.Sqlite.CacheSizeMiB > 0, $"{S}:Sqlite:CacheSizeMiB must be at least 1, not {options.Sqlite.CacheSizeMiB}.");
        Require(options.Sqlite.CheckpointPages >= 0, $"{S}:Sqlite:CheckpointPages must be 0 (SQLite's own checkpoints) or more, not {options.Sqlite.CheckpointPages}.");
        Require(options.Sqlite.SinkWriteSliceMilliseconds >= 0, $"{S}:Sqlite:SinkWriteSliceMilliseconds must be 0 (each batch in one write) or more, not {options.Sqlite.SinkWriteSliceMilliseconds}.");
        Require(options.Sqlite.EventCompressionLevel is >= 0 and <= 22, $"{S}:Sqlite:EventCompressionLevel must be 0 (plain JSON) to 22, not {options.Sqlite.EventCompressionLevel}.");
        Require(options.Postgres.EventCompressionLevel is >= 0 and <= 22, $"{S}:Postgres:EventCompressionLevel must be 0 (plain JSON) to 22, not {options.Postgres.EventCompressionLevel}.");
        ArchiveSettings(options.Archive, Require);
        Require(options.Retention.HotEventsAge >= TimeSpan.Zero, $"{S}:Retention:HotEventsAge must not be negative (0 turns retention off), not {options.Retention.HotEventsAge}.");
        Require(options.Retention.CheckInterval >= TimeSpan.FromSeconds(1), $"{S}:Retention:CheckInterval must be at least 1 second, not {options.Retention.CheckInterval}.");
        if (options.Store == StoreKind.Postgres) Require(IsConnectionString(options.Postgres.ConnectionString), $"{S}:Postgres:ConnectionString must be an Npgsql connection string (Host=…;Database=…) when {S}:Store is postgres.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ArchiveSettings(Archive.ArchiveOptions archive, Action<bool, string> require)
    {
        require(Enum.IsDefined(archive.Target), $"{S}:Archive:Target must be local or s3, not '{archive.Target}'.");
        require(archive.Codec == "none" || EventLogs.Codecs.CodecWriters.Names.Contains(archive.Codec),
            $"{S}:Archive:Codec must be zstd, lz4, snappy or none, not '{archive.Codec}'.");
        require(archive.MaxPartBytes > 0, $"{S}:Archive:MaxPartBytes must be at least 1, not {archive.MaxPartBytes}.");
        require(archive.RollInterval >= TimeSpan.FromSeconds(1), $"{S}:Archive:RollInterval must be at least 1 second, not {archive.RollInterval}.");
        if (archive.Target != Archive.ArchiveTargetKind.S3) return;
        require(archive.S3.Bucket.Length > 0, $"{S}:Archive:S3:Bucket must name a bucket when {S}:Archive:Target is s3.");
        require(archive.S3.ServiceUrl.Length == 0 || Uri.TryCreate(archive.S3.ServiceUrl, UriKind.Absolute, out _),
            $"{S}:Archive:S3:ServiceUrl must be an absolute URL, not '{archive.S3.ServiceUrl}'.");
        require(archive.S3.Region.Length > 0, $"{S}:Archive:S3:Region must name a region.");
        require((archive.S3.AccessKeyId.Length == 0) == (archive.S3.SecretAccessKey.Length == 0),
            $"{S}:Archive:S3:AccessKeyId and SecretAccessKey are set together or not at all.");
    }

    private static void Limits(LimitOptions limits, Action<bool, string> require)
    {
        foreach (var (setting, value) in new (string, long)[]
        {
            ("MaxBodyBytes", limits.MaxBodyBytes), ("MaxInflatedBytes", limits.MaxInflatedBytes), ("MaxInFlightBytes", limits.MaxInFlightBytes),
            ("MaxNameLength", limits.MaxNameLength), ("MaxRequestLineBytes", limits.MaxRequestLineBytes), ("MaxPageSize", limits.MaxPageSize),
        })
        {
            require(value > 0, $"{S}:Limits:{setting} must be at least 1, not {value}.");
        }
        require(limits.TaskSummaryMemoryBytes >= 0, $"{S}:Limits:TaskSummaryMemoryBytes must not be negative, not {limits.TaskSummaryMemoryBytes}.");
        require(limits.ChosenQuantilesCacheBytes >= 0, $"{S}:Limits:ChosenQuantilesCacheBytes must not be negative, not {limits.ChosenQuantilesCacheBytes}.");
        require(limits.InFlightWait >= TimeSpan.Zero, $"{S}:Limits:InFlightWait must not be negative, not {limits.InFlightWait}.");
        require(limits.DefaultPageSize >= 1 && limits.DefaultPageSize <= limits.MaxPageSize,
            $"{S}:Limits:DefaultPageSize must be 1 to {S}:Limits:MaxPageSize ({limits.MaxPageSize}), not {limits.DefaultPageSize}.");
    }

    private static void Writer(WriterOptions writer, Action<bool, string> require)
    {
        foreach (var (setting, value) in new (string, int)[]
        {
            ("QueueCapacity", writer.QueueCapacity), ("MaxBatchesPerCommit", writer.MaxBatchesPerCommit), ("MaxEventsPerCommit", writer.MaxEventsPerCommit),
        })
        {
            require(value > 0, $"{S}:Writer:{setting} must be at least 1, not {value}.");
        }
    }

    private static void SinkSettings(Sinks.SinkOptions sinks, Action<bool, string> require)
    {
        require(sinks.PollInterval > TimeSpan.Zero, $"{S}:Sinks:PollInterval must be positive, not {sinks.PollInterval}.");
        require(sinks.Lease >= TimeSpan.FromSeconds(1), $"{S}:Sinks:Lease must be at least 1 second, not {sinks.Lease}.");
        require(sinks.MaxRetryDelay >= TimeSpan.FromSeconds(1), $"{S}:Sinks:MaxRetryDelay must be at least 1 second, not {sinks.MaxRetryDelay}.");
        require(sinks.RunsPerClaim > 0, $"{S}:Sinks:RunsPerClaim must be at least 1, not {sinks.RunsPerClaim}.");
        require(sinks.HandoffBytes >= 0, $"{S}:Sinks:HandoffBytes must be 0 (off) or more, not {sinks.HandoffBytes}.");
        require(sinks.MaxEventsPerApply > 0, $"{S}:Sinks:MaxEventsPerApply must be at least 1, not {sinks.MaxEventsPerApply}.");
        require(sinks.IngestQuietPeriod >= TimeSpan.Zero, $"{S}:Sinks:IngestQuietPeriod must not be negative, not {sinks.IngestQuietPeriod}.");
        require(sinks.MaxDeferral >= TimeSpan.Zero, $"{S}:Sinks:MaxDeferral must not be negative, not {sinks.MaxDeferral}.");
    }

    private static void BrokerSettings(SparkwatchOptions options, Action<bool, string> require)
    {
        var broker = options.Broker;
        require(Enum.IsDefined(broker.Kind), $"{S}:Broker:Kind must be none or nats, not '{broker.Kind}'.");
        require(broker.Kind == Broker.BrokerKind.Nats || !options.Roles.Contains(ServiceRole.Writer),
            $"{S}:Roles writer stores what collectors publish to a broker: it needs {S}:Broker:Kind=nats.");
        if (broker.Kind != Broker.BrokerKind.Nats) return;
        require(broker.Url.Split(',', StringSplitOptions.TrimEntries).All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "nats" or "tls" or "ws" or "wss"),
            $"{S}:Broker:Url must be nats:// addresses separated by ',', not '{broker.Url}'.");
        foreach (var (setting, value) in new[] { ("Stream", broker.Stream), ("WriterConsumer", broker.WriterConsumer) })
        {
            require(IsNatsName(value), $"{S}:Broker:{setting} must be letters, digits, '-' or '_', not '{value}'.");
        }
        require(broker.Subject.Split('.').All(IsNatsName), $"{S}:Broker:Subject must be dot-separated tokens of letters, digits, '-' or '_', not '{broker.Subject}'.");
        require(broker.Replicas is >= 1 and <= 5, $"{S}:Broker:Replicas must be 1 to 5, not {broker.Replicas}.");
        require(broker.MaxAge > TimeSpan.Zero, $"{S}:Broker:MaxAge must be positive, not {broker.MaxAge}.");
        require(broker.MaxBytes >= 0, $"{S}:Broker:MaxBytes must be 0 (no limit) or more, not {broker.MaxBytes}.");
        require(broker.DuplicateWindow > TimeSpan.Zero && broker.DuplicateWindow <= broker.MaxAge,
            $"{S}:Broker:DuplicateWindow must be positive and at most {S}:Broker:MaxAge, not {broker.DuplicateWindow}.");
        require(broker.PublishTimeout > TimeSpan.Zero, $"{S}:Broker:PublishTimeout must be positive, not {broker.PublishTimeout}.");
        require(broker.AckWait >= TimeSpan.FromSeconds(1), $"{S}:Broker:AckWait must be at least 1 s, not {broker.AckWait}.");
        require(broker.RetryAfterSeconds >= 1, $"{S}:Broker:RetryAfterSeconds must be at least 1, not {broker.RetryAfterSeconds}.");
        require(broker.FetchBatchSize >= 1, $"{S}:Broker:FetchBatchSize must be at least 1, not {broker.FetchBatchSize}.");
    }

    private static bool IsNatsName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsConnectionString(string connectionString)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(connectionString) && new NpgsqlConnectionStringBuilder(connectionString).Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
