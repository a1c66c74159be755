using System.Text.Json;

namespace Sparkwatch.Model.Rows;

/// <summary>A task's metrics as Spark's event log reports them in <c>Task Metrics</c>; all counters, 0 when absent.</summary>
internal sealed class TaskMetrics
{
    /// <summary>Executor deserialize time (ms).</summary>
    public long ExecutorDeserializeTime { get; set; }
    /// <summary>Executor deserialize CPU time (ns).</summary>
    public long ExecutorDeserializeCpuTime { get; set; }
    /// <summary>Executor run time (ms).</summary>
    public long ExecutorRunTime { get; set; }
    /// <summary>Executor CPU time (ns).</summary>
    public long ExecutorCpuTime { get; set; }
    /// <summary>Result size (bytes).</summary>
    public long ResultSize { get; set; }
    /// <summary>JVM GC time (ms).</summary>
    public long JvmGcTime { get; set; }
    /// <summary>Result serialization time (ms).</summary>
    public long ResultSerializationTime { get; set; }
    /// <summary>Memory bytes spilled.</summary>
    public long MemoryBytesSpilled { get; set; }
    /// <summary>Disk bytes spilled.</summary>
    public long DiskBytesSpilled { get; set; }
    /// <summary>Peak execution memory.</summary>
    public long PeakExecutionMemory { get; set; }
    /// <summary>Input bytes read.</summary>
    public long InputBytesRead { get; set; }
    /// <summary>Input records read.</summary>
    public long InputRecordsRead { get; set; }
    /// <summary>Output bytes written.</summary>
    public long OutputBytesWritten { get; set; }
    /// <summary>Output records written.</summary>
    public long OutputRecordsWritten { get; set; }
    /// <summary>Shuffle remote blocks fetched.</summary>
    public long ShuffleRemoteBlocksFetched { get; set; }
    /// <summary>Shuffle local blocks fetched.</summary>
    public long ShuffleLocalBlocksFetched { get; set; }
    /// <summary>Shuffle fetch wait time (ms).</summary>
    public long ShuffleFetchWaitTime { get; set; }
    /// <summary>Shuffle remote bytes read.</summary>
    public long ShuffleRemoteBytesRead { get; set; }
    /// <summary>Shuffle remote bytes read to disk.</summary>
    public long ShuffleRemoteBytesReadToDisk { get; set; }
    /// <summary>Shuffle local bytes read.</summary>
    public long ShuffleLocalBytesRead { get; set; }
    /// <summary>Shuffle records read.</summary>
    public long ShuffleRecordsRead { get; set; }
    /// <summary>Shuffle remote requests duration (ms).</summary>
    public long ShuffleRemoteReqsDuration { get; set; }
    /// <summary>Push-based shuffle: corrupt merged block chunks.</summary>
    public long ShuffleCorruptMergedBlockChunks { get; set; }
    /// <summary>Push-based shuffle: merged fetch fallback count.</summary>
    public long ShuffleMergedFetchFallbackCount { get; set; }
    /// <summary>Push-based shuffle: merged remote blocks fetched.</summary>
    public long ShuffleMergedRemoteBlocksFetched { get; set; }
    /// <summary>Push-based shuffle: merged local blocks fetched.</summary>
    public long ShuffleMergedLocalBlocksFetched { get; set; }
    /// <summary>Push-based shuffle: merged remote chunks fetched.</summary>
    public long ShuffleMergedRemoteChunksFetched { get; set; }
    /// <summary>Push-based shuffle: merged local chunks fetched.</summary>
    public long ShuffleMergedLocalChunksFetched { get; set; }
    /// <summary>Push-based shuffle: merged remote bytes read.</summary>
    public long ShuffleMergedRemoteBytesRead { get; set; }
    /// <summary>Push-based shuffle: merged local bytes read.</summary>
    public long ShuffleMergedLocalBytesRead { get; set; }
    /// <summary>Push-based shuffle: merged remote requests duration (ms).</summary>
    public long ShuffleMergedRemoteReqsDuration { get; set; }
    /// <summary>Shuffle bytes written.</summary>
    public long ShuffleBytesWritten { get; set; }
    /// <summary>Shuffle write time (ns).</summary>
    public long ShuffleWriteTime { get; set; }
    /// <summary>Shuffle records written.</summary>
    public long ShuffleRecordsWritten { get; set; }

    /// <summary>Reads an event's <c>Task Metrics</c> object.</summary>
    public static TaskMetrics Read(JsonElement m)
    {
        var read = m.Prop("Shuffle Read Metrics");
        var push = read.Prop("Push Based Shuffle");
        var write = m.Prop("Shuffle Write Metrics");
        var input = m.Prop("Input Metrics");
        var output = m.Prop("Output Metrics");
        return new TaskMetrics
        {
            ExecutorDeserializeTime = m.Long("Executor Deserialize Time"),
            ExecutorDeserializeCpuTime = m.Long("Executor Deserialize CPU Time"),
            ExecutorRunTime = m.Long("Executor Run Time"),
            ExecutorCpuTime = m.Long("Executor CPU Time"),
            ResultSize = m.Long("Result Size"),
            JvmGcTime = m.Long("JVM GC Time"),
            ResultSerializationTime = m.Long("Result Serialization Time"),
            MemoryBytesSpilled = m.Long("Memory Bytes Spilled"),
            DiskBytesSpilled = m.Long("Disk Bytes Spilled"),
            PeakExecutionMemory = m.Long("Peak Execution Memory"),
            InputBytesRead = input.Long("Bytes Read"),
            InputRecordsRead = input.Long("Records Read"),
            OutputBytesWritten = output.Long("Bytes Written"),
            OutputRecordsWritten = output.Long("Records Written"),
            ShuffleRemoteBlocksFetched = read.Long("Remote Blocks Fetched"),
            ShuffleLocalBlocksFetched = read.Long("Local Blocks Fetched"),
            ShuffleFetchWaitTime = read.Long("Fetch Wait Time"),
            ShuffleRemoteBytesRead = read.Long("Remote Bytes Read"),
            ShuffleRemoteBytesReadToDisk = read.Long("Remote Bytes Read To Disk"),
            ShuffleLocalBytesRead = read.Long("Local Bytes Read"),
            ShuffleRecordsRead = read.Long("Total Records Read"),
            ShuffleRemoteReqsDuration = read.Long("Remote Requests Duration"),
            ShuffleCorruptMergedBlockChunks = push.Long("Corrupt Merged Block Chunks"),
            ShuffleMergedFetchFallbackCount = push.Long("Merged Fetch Fallback Count"),
            ShuffleMergedRemoteBlocksFetched = push.Long("Merged Remote Blocks Fetched"),
            ShuffleMergedLocalBlocksFetched = push.Long("Merged Local Blocks Fetched"),
            ShuffleMergedRemoteChunksFetched = push.Long("Merged Remote Chunks Fetched"),
            ShuffleMergedLocalChunksFetched = push.Long("Merged Local Chunks Fetched"),
            ShuffleMergedRemoteBytesRead = push.Long("Merged Remote Bytes Read"),
            ShuffleMergedLocalBytesRead = push.Long("Merged Local Bytes Read"),
            ShuffleMergedRemoteReqsDuration = push.Long("Merged Remote Requests Duration"),
            ShuffleBytesWritten = write.Long("Shuffle Bytes Written"),
            ShuffleWriteTime = write.Long("Shuffle Write Time"),
            ShuffleRecordsWritten = write.Long("Shuffle Records Written"),
        };
    }

    /// <summary>Adds <paramref name="other"/> into this (stage and executor-in-stage totals).</summary>
    public void Add(TaskMetrics other)
    {
        foreach (var f in Fields) f.Set(this, f.Get(this) + f.Get(other));
    }

    private static readonly (Func<TaskMetrics, long> Get, Action<TaskMetrics, long> Set)[] Fields =
    [
        .. typeof(TaskMetrics).GetProperties().Where(p => p.PropertyType == typeof(long)).Select(p =>
            ((Func<TaskMetrics, long>)(m => (long)p.GetValue(m)!), (Action<TaskMetrics, long>)((m, v) => p.SetValue(m, v)))),
    ];
}
