using System.Runtime.CompilerServices;
using Npgsql;
using Sparkwatch.Storage.Compression;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Runs;
using static Sparkwatch.Storage.Postgres.PostgresAppender;

namespace Sparkwatch.Storage.Postgres;

/// <summary>
/// The store for several replicas: PostgreSQL through a pooled Npgsql data source. Collectors append concurrently
/// (row locks on the run keep each run's sequence and facts exact); readers see committed data only.
/// </summary>
public sealed partial class PostgresEventStore : IEventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresAppender _appender;
    private readonly StoredEventCodecPool _codecs;
    private readonly bool _runModel;

    /// <summary>Creates a store over <see cref="PostgresStoreOptions.ConnectionString"/>; call <see cref="InitializeAsync"/> before use.</summary>
    public PostgresEventStore(PostgresStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("Sparkwatch:Postgres:ConnectionString is required when Sparkwatch:Store is postgres.");
        }
        _dataSource = NpgsqlDataSource.Create(WithAutoPrepare(options.ConnectionString));
        _codecs = new StoredEventCodecPool(options.EventCompressionLevel);
        _appender = new PostgresAppender(_dataSource, _codecs, () => Handoff);
        _runModel = options.RunModel;
    }

    /// <summary>Statements prepared by default: a commit repeats the same handful per payload, and preparing spares
    /// the server parsing and planning each one again. A connection string that sets <c>Max Auto Prepare</c> (0 turns
    /// it off, e.g. behind a pooler that cannot keep prepared statements) is left as it is.</summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(key => key.Replace(" ", "").Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = DefaultMaxAutoPrepare }.ConnectionString;
    }

    /// <summary>Statements each connection keeps prepared unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PostgresSchema.MigrateAsync(_dataSource, cancellationToken);
        if (_runModel) await RegisterSinkAsync(RunModelProjection.SinkName, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken = default) =>
        _appender.AppendAsync(batches, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Compresses the events on the caller's thread, before its batch waits for the group commit.</remarks>
    public void PrepareAppend(IngestBatch batch) => _codecs.Prepare(batch);

    /// <inheritdoc/>
    /// <remarks>Events whose bytes retention left in the archive only are not in it: read those with <see cref="ReadEventLinesAsync"/>.</remarks>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadEventsAsync(RunKey run, IReadOnlyCollection<string>? eventTypes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in ReadEventLinesAsync(run, eventTypes, cancellationToken))
        {
            if (line.ArchiveLine == 0) yield return line.Json;
        }
    }

    /// <inheritdoc/>
    public async Task<RunFacts?> GetRunAsync(RunKey run, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, RunSelect + " WHERE j.job_name = $1 AND r.run_id = $2", run.JobName, run.RunId);
        return (await ReadRunsAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JobSummary>> ListJobsAsync(string? afterJobName, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, "SELECT job_name, run_count, last_seen_at FROM jobs WHERE job_name > $1 ORDER BY job_name LIMIT $2",
            afterJobName ?? "", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<JobSummary>();
        while (await reader.ReadAsync(cancellationToken)) jobs.Add(new JobSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return jobs;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunFacts>?> ListRunsAsync(string jobName, RunCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var job = Sql(connection, "SELECT job_pk FROM jobs WHERE job_name = $1", jobName);
        if (await job.ExecuteScalarAsync(cancellationToken) is not long jobPk) return null;
        await using var command = Sql(connection, RunSelect + """
             WHERE r.job_pk = $1 AND (r.sort_time < $2 OR (r.sort_time = $2 AND r.run_id < $3))
             ORDER BY r.sort_time DESC, r.run_id DESC LIMIT $4
            """, jobPk, after?.SortTime ?? long.MaxValue, after?.RunId ?? "\U0010FFFF\U0010FFFF", limit);
        return await ReadRunsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredQuarantinedMessage>> ListQuarantineAsync(RunKey run, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, """
            SELECT q.seq, q.generated_at, q.received_at, q.reason, q.content FROM quarantine q
            JOIN runs r ON r.run_pk = q.run_pk JOIN jobs j ON j.job_pk = r.job_pk
            WHERE j.job_name = $1 AND r.run_id = $2 AND q.seq > $3 ORDER BY q.seq LIMIT $4
            """, run.JobName, run.RunId, afterSeq, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<StoredQuarantinedMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new StoredQuarantinedMessage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4)));
        }
        return messages;
    }

    /// <inheritdoc/>
    public async Task CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql(connection, "SELECT 1 FROM jobs LIMIT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _codecs.Dispose();
        return _dataSource.DisposeAsync();
    }

    // Attempts and ends ride along as JSON arrays (the shape RunFactsReader reads for every engine), so a run is one row of one statement.
    private const string RunSelect = """
        SELECT j.job_name, r.run_id, r.first_seen_at, r.last_seen_at, r.sort_time, r.event_count, r.quarantined_count,
               r.app_id, r.app_name, r.upload_complete,
               (SELECT coalesce(json_agg(json_build_array(s.attempt_id, s.start_time) ORDER BY s.attempt_id), '[]')::text FROM run_starts s WHERE s.run_pk = r.run_pk),
               (SELECT coalesce(json_agg(e.end_time ORDER BY e.end_time), '[]')::text FROM run_ends e WHERE e.run_pk = r.run_pk)
        FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
        """;

    private static async Task<List<RunFacts>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunFacts>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(RunFactsReader.Read(reader));
        return runs;
    }
}
