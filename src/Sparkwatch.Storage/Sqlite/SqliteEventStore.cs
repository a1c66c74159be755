using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Runs;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Compression;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. One writer connection takes every append (callers share its
/// transactions through the group-commit writer); reads use pooled connections and never block the writer.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly WriterTurns _writerTurns = new();
    private SqliteConnection? _writer;
    private SqliteAppender? _appender;
    private readonly StoredEventCodecPool _decoders = new(level: 0);
    private StoredEventCodecPool? _encoders;
    private SqliteCheckpointer? _checkpointer;
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, SQLitePCL.sqlite3> _configured = new();

    /// <summary>Creates a store over the file named in <paramref name="options"/>; call <see cref="InitializeAsync"/> before use.</summary>
    public SqliteEventStore(SqliteStoreOptions options)
    {
        _options = options;
        var fullPath = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(_options.Synchronous)) throw new ArgumentException($"Sparkwatch:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not '{_options.Synchronous}'.");
        var synchronous = _options.Synchronous.ToString().ToUpperInvariant();
        _writer = Open();
        SqliteSchema.Migrate(_writer);
        SqliteSchema.Execute(_writer, $"PRAGMA synchronous = {synchronous};");
        if (_options.CheckpointPages > 0)
        {
            SqliteSchema.Execute(_writer, $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.BackstopPages(_options.CheckpointPages)};");
            _checkpointer = new SqliteCheckpointer(Open(), _options.CheckpointPages);
        }
        _encoders = new StoredEventCodecPool(_options.EventCompressionLevel);
        _appender = new SqliteAppender(_writer, _encoders);
        if (_options.RunModel) RegisterModelSink();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken = default)
    {
        var appender = _appender ?? throw new InvalidOperationException("The store is not initialised.");
        var handoff = Handoff;
        IReadOnlyList<AppendResult> results;
        IReadOnlyList<StoredPayload>? stored;
        await _writerTurns.EnterAsync(commit: true, cancellationToken);
        try
        {
            (results, stored) = await appender.AppendAsync(batches, collectStored: handoff is not null);
            // Each row lands in the table and two indexes, and the run rows change too: about twice its bytes in pages.
            _checkpointer?.Committed(1 + (int)Math.Min(int.MaxValue, appender.LastAppendBytes * 2 / SqliteSchema.PageSize));
        }
        finally
        {
            _writerTurns.Exit();
        }
        // Copying the committed events for the sinks need not hold up the next group commit.
        handoff.HandOff(stored);
        return results;
    }

    /// <inheritdoc/>
    /// <remarks>Compresses the events on the caller's thread: the one writer connection then only inserts.</remarks>
    public void PrepareAppend(IngestBatch batch) => _encoders?.Prepare(batch);

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
    public Task<RunFacts?> GetRunAsync(RunKey run, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = RunSelect + " WHERE j.job_name = $job AND r.run_id = $run";
        command.Parameters.AddWithValue("$job", run.JobName);
        command.Parameters.AddWithValue("$run", run.RunId);
        return Task.FromResult(ReadRuns(command).FirstOrDefault());
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobSummary>> ListJobsAsync(string? afterJobName, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_name, run_count, last_seen_at FROM jobs WHERE job_name > $after ORDER BY job_name LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterJobName ?? "");
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var jobs = new List<JobSummary>();
        while (reader.Read()) jobs.Add(new JobSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return Task.FromResult<IReadOnlyList<JobSummary>>(jobs);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RunFacts>?> ListRunsAsync(string jobName, RunCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var jobCommand = connection.CreateCommand();
        jobCommand.CommandText = "SELECT job_pk FROM jobs WHERE job_name = $job";
        jobCommand.Parameters.AddWithValue("$job", jobName);
        if (jobCommand.ExecuteScalar() is not long jobPk) return Task.FromResult<IReadOnlyList<RunFacts>?>(null);
        using var command = connection.CreateCommand();
        command.CommandText = RunSelect + """
             WHERE r.job_pk = $jobPk AND (r.sort_time < $sort OR (r.sort_time = $sort AND r.run_id < $run))
             ORDER BY r.sort_time DESC, r.run_id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$jobPk", jobPk);
        command.Parameters.AddWithValue("$sort", after?.SortTime ?? long.MaxValue);
        command.Parameters.AddWithValue("$run", after?.RunId ?? "\U0010FFFF\U0010FFFF");
        command.Parameters.AddWithValue("$limit", limit);
        return Task.FromResult<IReadOnlyList<RunFacts>?>(ReadRuns(command));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredQuarantinedMessage>> ListQuarantineAsync(RunKey run, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        var messages = new List<StoredQuarantinedMessage>();
        if (RunPk(connection, run) is not { } runPk) return Task.FromResult<IReadOnlyList<StoredQuarantinedMessage>>(messages);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, generated_at, received_at, reason, content FROM quarantine WHERE run_pk = $r AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$r", runPk);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            messages.Add(new StoredQuarantinedMessage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (byte[])reader.GetValue(4)));
        }
        return Task.FromResult<IReadOnlyList<StoredQuarantinedMessage>>(messages);
    }

    /// <inheritdoc/>
    public Task CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        SqliteSchema.Execute(connection, "SELECT 1 FROM jobs LIMIT 1");
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _checkpointer, null)?.Dispose();
        _appender?.Dispose();
        _writer?.Dispose();
        _decoders.Dispose();
        _encoders?.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    // One statement per query: the attempts' starts and the end times come along as JSON arrays (in key order, as
    // separate queries returned them) instead of two more statements per run.
    private const string RunSelect = """
        SELECT j.job_name, r.run_id, r.first_seen_at, r.last_seen_at, r.sort_time, r.event_count, r.quarantined_count,
               r.app_id, r.app_name, r.upload_complete,
               (SELECT json_group_array(json_array(s.attempt_id, s.start_time)) FROM run_starts s WHERE s.run_pk = r.run_pk),
               (SELECT json_group_array(e.end_time) FROM run_ends e WHERE e.run_pk = r.run_pk)
        FROM runs r JOIN jobs j ON j.job_pk = r.job_pk
        """;

    private static List<RunFacts> ReadRuns(SqliteCommand command)
    {
        var runs = new List<RunFacts>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) runs.Add(RunFactsReader.Read(reader));
        return runs;
    }

    private static long? RunPk(SqliteConnection connection, RunKey run)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT r.run_pk FROM runs r JOIN jobs j ON j.job_pk = r.job_pk WHERE j.job_name = $job AND r.run_id = $run";
        command.Parameters.AddWithValue("$job", run.JobName);
        command.Parameters.AddWithValue("$run", run.RunId);
        return command.ExecuteScalar() as long?;
    }

    private static List<long> TypeIds(SqliteConnection connection, IReadOnlyCollection<string> names)
    {
        var ids = new List<long>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type_id FROM event_types WHERE name = $n";
        var parameter = command.Parameters.Add("$n", SqliteType.Text);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            parameter.Value = name;
            if (command.ExecuteScalar() is long id) ids.Add(id);
        }
        return ids;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Pooled connections keep their settings, so each physical connection is configured once, not on every request.
        var handle = connection.Handle!;
        if (!_configured.TryGetValue(handle, out _))
        {
            SqliteSchema.Execute(connection, $"PRAGMA cache_size = -{_options.CacheSizeMiB * 1024}; PRAGMA busy_timeout = 30000;");
            _configured.AddOrUpdate(handle, handle);
        }
        return connection;
    }
}
