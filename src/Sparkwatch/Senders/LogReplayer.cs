using Stopwatch = System.Diagnostics.Stopwatch;
using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Senders;

/// <summary>What <c>replay</c> does with the logs: where the names come from, how big the payloads, how many runs at once.</summary>
/// <param name="JobName">Job name for every log; otherwise read from each log.</param>
/// <param name="RunId">Run id for every log; otherwise read from each log.</param>
/// <param name="Concurrency">Runs replayed at the same time.</param>
public sealed record ReplayOptions(string? JobName, string? RunId, int Concurrency = 1);

/// <summary>The logs of one run (its attempts, in order), replayed as one stream, and how far it got.</summary>
public sealed class RunReplay(RunKey run, IReadOnlyList<EventLog> logs)
{
    private long _bytes;

    /// <summary>The run.</summary>
    public RunKey Run { get; } = run;

    /// <summary>Its logs, oldest attempt first.</summary>
    public IReadOnlyList<EventLog> Logs { get; } = logs;

    /// <summary>A short name for display.</summary>
    public string Name => string.Join(", ", Logs.Select(l => l.Name));

    /// <summary>What was sent for this run.</summary>
    public SendStats Stats { get; } = new();

    /// <summary>Bytes of log lines read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytes);

    /// <summary>Total size of the log files on disk; the progress is exact only for uncompressed logs.</summary>
    public long TotalBytes { get; } = logs.SelectMany(l => l.Parts).Sum(p => new FileInfo(p).Length);

    /// <summary>True when any part is compressed, so bytes read do not measure progress against the file sizes.</summary>
    public bool Compressed { get; } = logs.SelectMany(l => l.Parts).Any(LogPaths.IsCompressed);

    /// <summary>How long it took.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>Why it stopped, when it failed.</summary>
    public string? Error { get; set; }

    /// <summary>True once it is over (sent or failed).</summary>
    public bool Finished { get; set; }

    internal void Read(int bytes) => Interlocked.Add(ref _bytes, bytes);
}

/// <summary>
/// Streams finished event logs to a collector exactly as the listener would have sent them live: one stream per log
/// (application attempt), payloads of <see cref="SenderOptions.BatchSize"/> messages with the listener's counters, which
/// number the log's lines from 1 as <c>import</c> and <c>follow</c> do.
/// </summary>
public sealed class LogReplayer(HttpClient http, SenderOptions sender, ReplayOptions options)
{
    /// <summary>A path that could not be read as event logs, and why.</summary>
    /// <param name="Path">The path as given.</param>
    /// <param name="Reason">What went wrong.</param>
    public sealed record Unreadable(string Path, string Reason);

    /// <summary>Finds the logs under <paramref name="paths"/> and groups them into runs (attempts of one run together, in order).</summary>
    public (IReadOnlyList<RunReplay> Runs, IReadOnlyList<Unreadable> Unreadable) Plan(IEnumerable<string> paths)
    {
        var unreadable = new List<Unreadable>();
        var found = new List<(RunKey Run, EventLog Log)>();
        foreach (var path in paths)
        {
            try
            {
                if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException("no such file or folder");
                foreach (var log in EventLogFiles.Discover(path))
                {
                    try
                    {
                        var (jobName, runId) = options.JobName is not null && options.RunId is not null
                            ? (options.JobName, options.RunId)
                            : EventLogHeader.Read(log).RunName(log, options.JobName, options.RunId);
                        found.Add((new RunKey(jobName, runId), log));
                    }
                    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                    {
                        unreadable.Add(new Unreadable(log.Parts.FirstOrDefault() ?? log.Name, e.Message));
                    }
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                unreadable.Add(new Unreadable(path, e.Message));
            }
        }
        var runs = found.GroupBy(f => f.Run)
            .Select(g => new RunReplay(g.Key, [.. g.Select(f => f.Log).OrderBy(l => l.AttemptId ?? "", StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal)]))
            .ToList();
        return (runs, unreadable);
    }

    /// <summary>Replays the runs, <see cref="ReplayOptions.Concurrency"/> at a time; a failed run is reported, the others go on.</summary>
    public Task ReplayAsync(IReadOnlyList<RunReplay> runs, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
            async (run, ct) => await ReplayRunAsync(run, ct));

    private async Task ReplayRunAsync(RunReplay run, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var client = new ListenerSender(http, sender, run.Stats);
        var batch = new List<OutgoingMessage>(sender.BatchSize);
        try
        {
            // Each log of the run is one application attempt: its own stream, counted from 1 as a new driver would.
            foreach (var log in run.Logs)
            {
                var stream = new RunStream(run.Run) { LastGeneratedAt = EventLogTime.Start(log, EventLogHeader.Read(log)) };
                foreach (var part in log.Parts)
                {
                    using var input = EventLogFiles.OpenDecompressed(part);
                    foreach (var line in EventLogLines.Read(input))
                    {
                        run.Read(line.Length + 1);
                        batch.Add(OutgoingMessage.ForEvent(stream, line.Span));
                        if (batch.Count < sender.BatchSize) continue;
                        await client.SendAsync(stream, batch, cancellationToken);
                        batch.Clear();
                    }
                }
                await client.SendAsync(stream, batch, cancellationToken);
                batch.Clear();
            }
        }
        catch (Exception e) when (e is SendFailedException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            run.Error = e.Message;
        }
        finally
        {
            run.Elapsed = clock.Elapsed;
            run.Finished = true;
        }
    }
}
