using System.Text;
using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>
/// Task start, getting result and end (Spark's onTaskStart / onTaskEnd). Counters move on the task row's transitions:
/// its first sighting counts it on the executor, a start makes it active, an end of a started task makes it inactive.
/// </summary>
internal static class TaskProjection
{
    public static void Start(RunScope run, JsonElement e)
    {
        var info = e.Prop("Task Info");
        var (task, first) = Load(run, e, info);
        if (task.Started) return;
        if (!task.Ended) ApplyInfo(task, info);
        task.Started = true;
        run.PutTask(task);

        var stage = run.Stage(task.StageId, task.StageAttemptId);
        stage.FirstLaunchTime = Math.Min(stage.FirstLaunchTime ?? long.MaxValue, info.Long("Launch Time"));
        var exec = run.Executor(task.ExecutorId);
        if (first) exec.TotalTasks += 1;
        if (task.Ended) return;
        stage.ActiveTasks += 1;
        exec.ActiveTasks += 1;
        foreach (var jobId in stage.JobIds)
        {
            if (run.FindJob(jobId) is { } job) job.ActiveTasks += 1;
        }
    }

    public static void GettingResult(RunScope run, JsonElement e)
    {
        var info = e.Prop("Task Info");
        if (run.FindTask(info.Long("Task ID")) is not { Ended: false } task) return;
        task.ResultFetchStart = info.LongOrNull("Getting Result Time") is { } t && t > 0 ? t : task.ResultFetchStart;
        if (task.Status == "RUNNING") task.Status = "GET RESULT";
        run.PutTask(task);
    }

    public static void End(RunScope run, JsonElement e)
    {
        var info = e.Prop("Task Info");
        var (task, first) = Load(run, e, info);
        if (task.Ended) return;
        ApplyInfo(task, info);
        var reason = e.Prop("Task End Reason");
        var reasonName = reason.Str("Reason") ?? "Success";
        task.ErrorMessage = TaskEndReasons.ErrorMessage(reason);
        var metrics = e.Prop("Task Metrics") is { ValueKind: JsonValueKind.Object } m ? TaskMetrics.Read(m) : null;
        task.Metrics = metrics;
        var wasRunning = task.Started;
        task.Ended = true;
        run.PutTask(task);

        var (completed, failed, killed) = reasonName switch
        {
            "Success" => (1, 0, 0),
            "TaskKilled" or "TaskCommitDenied" => (0, 0, 1),
            _ => (0, 1, 0),
        };
        var killedReason = killed > 0 ? TaskEndReasons.KilledSummaryKey(reason) : null;
        var duration = Durations.Of(task) ?? 0;
        var peaks = StageInfoReader.ExecutorMetrics(e.Prop("Task Executor Metrics"));

        var stage = run.Stage(task.StageId, task.StageAttemptId);
        if (first) stage.FirstLaunchTime = Math.Min(stage.FirstLaunchTime ?? long.MaxValue, task.LaunchTime);
        if (metrics is not null) stage.Metrics.Add(metrics);
        if (wasRunning) stage.ActiveTasks -= 1;
        stage.CompletedTasks += completed;
        if (completed > 0 && RunScope.SetBit(ref stage.CompletedIndexBits, task.Index)) stage.CompletedIndices += 1;
        stage.FailedTasks += failed;
        stage.KilledTasks += killed;
        if (killedReason is not null) stage.KilledSummary[killedReason] = stage.KilledSummary.GetValueOrDefault(killedReason) + 1;
        stage.Peak.Update(peaks);

        var indices = completed > 0 ? run.StageIndices(task.StageId) : null;
        var newIndex = indices is not null && RunScope.SetBit(ref indices.Bits, task.Index);
        foreach (var jobId in stage.JobIds)
        {
            if (run.FindJob(jobId) is not { } job) continue;
            if (wasRunning) job.ActiveTasks -= 1;
            job.CompletedTasks += completed;
            if (newIndex) job.CompletedIndices += 1;
            job.FailedTasks += failed;
            job.KilledTasks += killed;
            if (killedReason is not null) job.KilledSummary[killedReason] = job.KilledSummary.GetValueOrDefault(killedReason) + 1;
        }

        var summary = StageProjection.ExecutorSummary(stage, task.ExecutorId);
        summary.TaskTime += duration;
        summary.SucceededTasks += completed;
        summary.FailedTasks += failed;
        summary.KilledTasks += killed;
        if (metrics is not null) summary.Metrics.Add(metrics);
        summary.Peak.Update(peaks);

        var exec = run.Executor(task.ExecutorId);
        if (first) exec.TotalTasks += 1;
        if (wasRunning) exec.ActiveTasks -= 1;
        exec.CompletedTasks += completed;
        exec.FailedTasks += failed;
        exec.TotalDuration += duration;
        exec.Peak.Update(peaks);
        // Spark keeps the first attempt's metrics for resubmitted tasks.
        if (reasonName != "Resubmitted" && metrics is not null)
        {
            exec.TotalGcTime += metrics.JvmGcTime;
            exec.TotalInputBytes += metrics.InputBytesRead;
            exec.TotalShuffleRead += metrics.ShuffleLocalBytesRead + metrics.ShuffleRemoteBytesRead;
            exec.TotalShuffleWrite += metrics.ShuffleBytesWritten;
        }
    }

    private static (TaskRow Task, bool First) Load(RunScope run, JsonElement e, JsonElement info)
    {
        var taskId = info.Long("Task ID");
        if (run.FindTask(taskId) is { } existing) return (existing, false);
        return (new TaskRow { TaskId = taskId, StageId = e.Int("Stage ID"), StageAttemptId = e.Int("Stage Attempt ID") }, true);
    }

    private static void ApplyInfo(TaskRow task, JsonElement info)
    {
        task.Index = info.Int("Index");
        task.Attempt = info.Int("Attempt");
        task.PartitionId = info.Int("Partition ID", -1);
        task.LaunchTime = info.Long("Launch Time");
        task.ResultFetchStart = info.LongOrNull("Getting Result Time") is { } g && g > 0 ? g : task.ResultFetchStart;
        task.FinishTime = info.LongOrNull("Finish Time") is { } f && f > 0 ? f : null;
        task.ExecutorId = info.ExecutorId();
        task.Host = info.Str("Host") ?? "";
        task.TaskLocality = info.Str("Locality") ?? "";
        task.Speculative = info.Bool("Speculative");
        task.Accumulables = StageInfoReader.Accumulables(info);
        task.Status = task.FinishTime is null ? (task.ResultFetchStart is null ? "RUNNING" : "GET RESULT")
            : info.Bool("Failed") ? "FAILED" : info.Bool("Killed") ? "KILLED" : "SUCCESS";
    }
}

/// <summary>Spark's <c>TaskEndReason.toErrorString</c> for the reasons in event logs.</summary>
internal static class TaskEndReasons
{
    public static string? ErrorMessage(JsonElement reason) => (reason.Str("Reason") ?? "Success") switch
    {
        "Success" => null,
        "TaskKilled" => reason.Str("Kill Reason") ?? "unknown reason",
        "ExceptionFailure" => reason.Str("Full Stack Trace") ?? ExceptionString(reason),
        "FetchFailed" => FetchFailed(reason),
        "ExecutorLostFailure" => ExecutorLost(reason),
        "TaskResultLost" => "TaskResultLost (result lost from block manager)",
        "Resubmitted" => "Resubmitted (resubmitted due to lost executor)",
        "TaskCommitDenied" => CommitDenied(reason),
        "UnknownReason" => "UnknownReason",
        var other => other,
    };

    public static string KilledSummaryKey(JsonElement reason) =>
        reason.Str("Reason") == "TaskCommitDenied" ? CommitDenied(reason) : reason.Str("Kill Reason") ?? "unknown reason";

    private static string ExceptionString(JsonElement r)
    {
        var text = new StringBuilder().Append(r.Str("Class Name")).Append(": ").Append(r.Str("Description") ?? "").Append('\n');
        text.AppendJoin('\n', r.Items("Stack Trace").Select(f => "        " + Frame(f)));
        return text.ToString();
    }

    private static string Frame(JsonElement f)
    {
        var file = f.Str("File Name");
        var line = f.Long("Line Number");
        var where = line == -2 ? "Native Method" : file is null ? "Unknown Source" : line >= 0 ? $"{file}:{line}" : file;
        return $"{f.Str("Declaring Class")}.{f.Str("Method Name")}({where})";
    }

    private static string FetchFailed(JsonElement r)
    {
        var bm = r.Prop("Block Manager Address");
        var address = bm.ValueKind == JsonValueKind.Object ? $"BlockManagerId({bm.Str("Executor ID")}, {bm.Str("Host")}, {bm.Long("Port")}, None)" : "null";
        return $"FetchFailed({address}, shuffleId={r.Long("Shuffle ID")}, mapIndex={r.Long("Map Index")}, mapId={r.Long("Map ID")}, reduceId={r.Long("Reduce ID")}, message=\n{r.Str("Message")}\n)";
    }

    private static string ExecutorLost(JsonElement r)
    {
        var exit = r.Prop("Exit Caused By App").ValueKind == JsonValueKind.False ? "unrelated to the running tasks" : "caused by one of the running tasks";
        var why = r.Str("Loss Reason") is { } reason ? $" Reason: {reason}" : "";
        return $"ExecutorLostFailure (executor {r.Str("Executor ID")} exited {exit}){why}";
    }

    private static string CommitDenied(JsonElement r) =>
        $"TaskCommitDenied (Driver denied task commit) for job: {r.Long("Job ID")}, partition: {r.Long("Partition ID")}, attemptNumber: {r.Long("Attempt Number")}";
}
