using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>
/// The per-task values a stage's <c>taskSummary</c> gives quantiles of, one store column each (<c>q0</c>, <c>q1</c>, …
/// in this order). The order is part of the schema: append only, with a migration that adds the column.
/// </summary>
public static class TaskQuantileMetrics
{
    private static readonly (string Name, Func<TaskRow, TaskMetrics, long> Value)[] Metrics =
    [
        ("duration", (t, _) => Durations.Of(t) ?? 0),
        ("executorDeserializeTime", (_, m) => m.ExecutorDeserializeTime),
        ("executorDeserializeCpuTime", (_, m) => m.ExecutorDeserializeCpuTime),
        ("executorRunTime", (_, m) => m.ExecutorRunTime),
        ("executorCpuTime", (_, m) => m.ExecutorCpuTime),
        ("resultSize", (_, m) => m.ResultSize),
        ("jvmGcTime", (_, m) => m.JvmGcTime),
        ("resultSerializationTime", (_, m) => m.ResultSerializationTime),
        ("gettingResultTime", (t, _) => Durations.GettingResultTime(t)),
        ("schedulerDelay", (t, _) => Durations.SchedulerDelay(t)),
        ("peakExecutionMemory", (_, m) => m.PeakExecutionMemory),
        ("memoryBytesSpilled", (_, m) => m.MemoryBytesSpilled),
        ("diskBytesSpilled", (_, m) => m.DiskBytesSpilled),
        ("inputMetrics.bytesRead", (_, m) => m.InputBytesRead),
        ("inputMetrics.recordsRead", (_, m) => m.InputRecordsRead),
        ("outputMetrics.bytesWritten", (_, m) => m.OutputBytesWritten),
        ("outputMetrics.recordsWritten", (_, m) => m.OutputRecordsWritten),
        ("shuffleReadMetrics.readBytes", (_, m) => m.ShuffleLocalBytesRead + m.ShuffleRemoteBytesRead),
        ("shuffleReadMetrics.readRecords", (_, m) => m.ShuffleRecordsRead),
        ("shuffleReadMetrics.remoteBlocksFetched", (_, m) => m.ShuffleRemoteBlocksFetched),
        ("shuffleReadMetrics.localBlocksFetched", (_, m) => m.ShuffleLocalBlocksFetched),
        ("shuffleReadMetrics.fetchWaitTime", (_, m) => m.ShuffleFetchWaitTime),
        ("shuffleReadMetrics.remoteBytesRead", (_, m) => m.ShuffleRemoteBytesRead),
        ("shuffleReadMetrics.remoteBytesReadToDisk", (_, m) => m.ShuffleRemoteBytesReadToDisk),
        ("shuffleReadMetrics.totalBlocksFetched", (_, m) => m.ShuffleLocalBlocksFetched + m.ShuffleRemoteBlocksFetched),
        ("shuffleReadMetrics.remoteReqsDuration", (_, m) => m.ShuffleRemoteReqsDuration),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.corruptMergedBlockChunks", (_, m) => m.ShuffleCorruptMergedBlockChunks),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.mergedFetchFallbackCount", (_, m) => m.ShuffleMergedFetchFallbackCount),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.remoteMergedBlocksFetched", (_, m) => m.ShuffleMergedRemoteBlocksFetched),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.localMergedBlocksFetched", (_, m) => m.ShuffleMergedLocalBlocksFetched),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.remoteMergedChunksFetched", (_, m) => m.ShuffleMergedRemoteChunksFetched),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.localMergedChunksFetched", (_, m) => m.ShuffleMergedLocalChunksFetched),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.remoteMergedBytesRead", (_, m) => m.ShuffleMergedRemoteBytesRead),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.localMergedBytesRead", (_, m) => m.ShuffleMergedLocalBytesRead),
        ("shuffleReadMetrics.shufflePushReadMetricsDist.remoteMergedReqsDuration", (_, m) => m.ShuffleMergedRemoteReqsDuration),
        ("shuffleWriteMetrics.writeBytes", (_, m) => m.ShuffleBytesWritten),
        ("shuffleWriteMetrics.writeRecords", (_, m) => m.ShuffleRecordsWritten),
        ("shuffleWriteMetrics.writeTime", (_, m) => m.ShuffleWriteTime),
    ];

    /// <summary>The metric paths in column order (<c>q{i}</c> holds <c>Names[i]</c>).</summary>
    public static readonly string[] Names = [.. Metrics.Select(m => m.Name)];

    /// <summary>The store column of metric <paramref name="i"/>.</summary>
    public static string Column(int i) => $"q{i}";

    internal static TaskColumns Columns(long runPk, int attemptNo, TaskRow task)
    {
        var values = new long[Metrics.Length];
        if (task.Metrics is { } m)
        {
            for (var i = 0; i < Metrics.Length; i++) values[i] = Metrics[i].Value(task, m);
        }
        // Spark's EXEC_RUN_TIME index: successful tasks by run time, then the others below 0.
        var runTimeKey = task.Metrics is null ? -1 : task.Status == "SUCCESS" ? task.Metrics.ExecutorRunTime : -task.Metrics.ExecutorRunTime - 1;
        return new TaskColumns(runPk, attemptNo, task.TaskId, task.StageId, task.StageAttemptId, task.Index, task.Status, runTimeKey, values);
    }
}
