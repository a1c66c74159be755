using Sparkwatch.Core.Ingest;
using Sparkwatch.EventLogs;

namespace Sparkwatch.Senders;

/// <summary>Settings of <c>follow</c>.</summary>
/// <param name="Directory">Spark's <c>spark.eventLog.dir</c>.</param>
/// <param name="StatePath">The state file that lets a restarted follower resume.</param>
/// <param name="PollInterval">How often the folder is looked at.</param>
/// <param name="HeartbeatInterval">A live run with nothing to send gets a heartbeat this often (zero: never).</param>
/// <param name="JobName">Job name for every log; otherwise read from each log.</param>
public sealed record FollowOptions(string Directory, string StatePath, TimeSpan PollInterval, TimeSpan HeartbeatInterval, string? JobName = null);

/// <summary>
/// The sidecar: polls <c>spark.eventLog.dir</c> and sends every complete new line of every log (new applications,
/// growing <c>.inprogress</c> files, new rolling parts, renamed finished files) to the collector as the listener would,
/// saving its position after each acknowledged payload.
/// </summary>
public sealed class LogFollower(ListenerSender sender, SenderOptions senderOptions, FollowOptions options, Action<string> report)
{
    // A log still "in progress" but untouched this long is an application that died: stop heartbeating it.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);
    private readonly FollowState _state = FollowState.Load(options.StatePath);
    private readonly Dictionary<string, DateTime> _lastSent = new(StringComparer.Ordinal);
    // Logs that had a payload acknowledged since this follower started.
    private readonly HashSet<string> _sentSinceStart = new(StringComparer.Ordinal);

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await PollOnceAsync(cancellationToken);
                await Task.Delay(options.PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped mid-payload: its lines were not recorded as sent, so the next start sends them again (stored once).
        }
    }

    /// <summary>One look at the folder: sends whatever is new.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EventLog> logs;
        try
        {
            logs = EventLogFiles.Discover(options.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report($"cannot list {options.Directory}: {e.Message}");
            return;
        }
        foreach (var log in logs.Where(l => !l.Name.StartsWith('.')))
        {
            if (_state.Logs.TryGetValue(log.Name, out var known) && known.Done) continue;
            try
            {
                await FollowLogAsync(log, cancellationToken);
            }
            catch (Exception e) when (e is SendFailedException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // A renamed file, a collector that is down: the next poll tries again from the saved position.
                report($"{log.Name}: {e.Message}");
            }
        }
    }

    private async Task FollowLogAsync(EventLog log, CancellationToken cancellationToken)
    {
        if (!_state.Logs.TryGetValue(log.Name, out var cursor))
        {
            var header = EventLogHeader.Read(log);
            if (!header.SawApplicationStart && log.InProgress) return; // its name comes with the application start
            var (jobName, runId) = header.RunName(log, options.JobName);
            var run = new RunKey(jobName, runId);
            cursor = new LogCursor { JobName = run.JobName, RunId = run.RunId, LastGeneratedAt = EventLogTime.Start(log, header) };
            _state.Logs[log.Name] = cursor;
            _state.Save(options.StatePath);
            report($"{log.Name}: following as {run}");
        }
        // The log is one application attempt: one stream of its run, its lines counted from 1 (as import and replay count them).
        var stream = new RunStream(new RunKey(cursor.JobName, cursor.RunId))
        {
            MessageCounter = cursor.MessageCounter, PayloadCounter = cursor.PayloadCounter, LastGeneratedAt = cursor.LastGeneratedAt,
        };
        var allDone = true;
        for (var i = 0; i < log.Parts.Count; i++)
        {
            // In a rolling log only the last part can still grow.
            var complete = !(log.InProgress && i == log.Parts.Count - 1) && !LogPaths.IsInProgress(log.Parts[i]);
            allDone &= await FollowPartAsync(log, log.Parts[i], complete, stream, cursor, cancellationToken);
        }
        if (allDone && !log.InProgress)
        {
            cursor.Done = true;
            _state.Save(options.StatePath);
            report($"{log.Name}: complete");
        }
        else if (log.InProgress) await HeartbeatAsync(log, stream, cancellationToken);
    }

    /// <summary>Sends the file's new complete lines; returns true when the file is complete and entirely sent.</summary>
    private async Task<bool> FollowPartAsync(EventLog log, string path, bool complete, RunStream stream, LogCursor cursor, CancellationToken cancellationToken)
    {
        var key = Path.GetRelativePath(options.Directory, LogPaths.WithoutInProgress(path));
        if (!_state.Parts.TryGetValue(key, out var part)) _state.Parts[key] = part = new PartCursor();
        if (part.Done) return true;
        var compressed = LogPaths.IsCompressed(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Stream input;
        long end = 0;
        if (compressed)
        {
            // Offsets in a compressed stream mean nothing: count lines from the start.
            input = EventLogFiles.OpenDecompressed(path);
        }
        else
        {
            end = complete ? file.Length : EndOfLastLine(file, part.Offset);
            file.Position = part.Offset;
            input = new BoundedReadStream(file, end - part.Offset);
        }
        using (input)
        {
            var batch = new List<OutgoingMessage>(senderOptions.BatchSize);
            long skip = part.Lines;
            var lines = EventLogLines.Read(input, includeUnterminatedTail: complete);
            using var enumerator = lines.GetEnumerator();
            while (MoveNext(enumerator, compressed && !complete))
            {
                if (skip > 0) { skip--; continue; }
                batch.Add(OutgoingMessage.ForEvent(stream, enumerator.Current.Span));
                if (batch.Count == senderOptions.BatchSize) await SendAsync(log, stream, batch, part, cursor, cancellationToken);
            }
            await SendAsync(log, stream, batch, part, cursor, cancellationToken);
        }
        if (!compressed && end > part.Offset)
        {
            part.Offset = end;
            part.Lines = 0;
            _state.Save(options.StatePath);
        }
        if (complete)
        {
            part.Done = true;
            _state.Save(options.StatePath);
        }
        return complete;
    }

    /// <summary>The end of a still-written compressed stream may be cut mid-frame: that is "no more yet", not an error.</summary>
    private static bool MoveNext(IEnumerator<ReadOnlyMemory<byte>> lines, bool tolerateTruncation)
    {
        try { return lines.MoveNext(); }
        catch (Exception e) when (tolerateTruncation && e is InvalidDataException or EndOfStreamException or IOException) { return false; }
    }

    private async Task SendAsync(EventLog log, RunStream stream, List<OutgoingMessage> batch, PartCursor part, LogCursor cursor, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        var answer = await sender.SendAsync(stream, batch, cancellationToken);
        part.Lines += batch.Count;
        Save(stream, cursor);
        // Stopped after a send but before its position was saved, the follower sends that payload again on restart:
        // the collector already has every line of it, which is the expected outcome, not a problem.
        if (_sentSinceStart.Add(log.Name) && answer.EventsStored == 0 && answer.Quarantined == 0 && answer.Duplicates == batch.Count)
        {
            sender.Stats.ResentAfterRestart(answer.Duplicates);
            report($"{stream.Run}: {batch.Count} events were stored already (sent again after a restart, before their position was saved)");
        }
        else report($"{stream.Run}: sent {batch.Count} events ({sender.Stats.Events} in all)");
        batch.Clear();
    }

    private async Task HeartbeatAsync(EventLog log, RunStream stream, CancellationToken cancellationToken)
    {
        if (options.HeartbeatInterval <= TimeSpan.Zero) return;
        var now = DateTime.UtcNow;
        var lastWrite = log.Parts.Max(p => File.GetLastWriteTimeUtc(p));
        if (now - lastWrite > StaleAfter) return;
        if (_lastSent.TryGetValue(stream.Run.ToString(), out var last) && now - last < options.HeartbeatInterval) return;
        // Without counters: a heartbeat takes no line number, so the log's lines keep the seqs import and replay give them.
        await sender.SendHeartbeatAsync(stream.Run, cancellationToken);
        _lastSent[stream.Run.ToString()] = now;
    }

    private void Save(RunStream stream, LogCursor cursor)
    {
        cursor.MessageCounter = stream.MessageCounter;
        cursor.PayloadCounter = stream.PayloadCounter;
        cursor.LastGeneratedAt = stream.LastGeneratedAt;
        _lastSent[stream.Run.ToString()] = DateTime.UtcNow;
        _state.Save(options.StatePath);
    }

    /// <summary>The position just after the last line feed at or after <paramref name="from"/>, or <paramref name="from"/> when there is none.</summary>
    private static long EndOfLastLine(FileStream file, long from)
    {
        var buffer = new byte[64 * 1024];
        for (var end = file.Length; end > from;)
        {
            var start = Math.Max(from, end - buffer.Length);
            file.Position = start;
            file.ReadExactly(buffer, 0, (int)(end - start));
            var newline = buffer.AsSpan(0, (int)(end - start)).LastIndexOf((byte)'\n');
            if (newline >= 0) return start + newline + 1;
            end = start;
        }
        return from;
    }
}
