namespace Sparkwatch.Model.Rows;

// The model's rows. Each is stored as one JSON document under its key (see ModelKey); public fields keep them plain
// data. Counters follow Spark's AppStatusListener; what makes them safe under out-of-order delivery is noted where done.

/// <summary>Run-wide state: which internal attempt number events currently belong to.</summary>
internal sealed class RunStateRow
{
    public int CurrentAttempt;
    public int AttemptCount;
    public bool CurrentEnded;
    public bool CurrentStarted;
}

/// <summary>One application attempt (ApplicationInfo + ApplicationAttemptInfo).</summary>
internal sealed class AttemptRow
{
    public string? AttemptId;
    public string? AppId;
    public string? AppName;
    public long? StartTime;
    public long? EndTime;
    public string? SparkUser;
    public string? SparkVersion;
    /// <summary>Executor id → host, so node-level events reach every executor of a host.</summary>
    public Dictionary<string, string> ExecutorHosts = new(StringComparer.Ordinal);
    public int DefaultCpusPerTask = 1;
}

internal sealed class AccumulableRow
{
    public long Id;
    public string? Name;
    public string? Update;
    public string? Value;
}

internal sealed class PeakMetrics
{
    public static readonly string[] Names =
    [
        "JVMHeapMemory", "JVMOffHeapMemory", "OnHeapExecutionMemory", "OffHeapExecutionMemory", "OnHeapStorageMemory",
        "OffHeapStorageMemory", "OnHeapUnifiedMemory", "OffHeapUnifiedMemory", "DirectPoolMemory", "MappedPoolMemory",
        "ProcessTreeJVMVMemory", "ProcessTreeJVMRSSMemory", "ProcessTreePythonVMemory", "ProcessTreePythonRSSMemory",
        "ProcessTreeOtherVMemory", "ProcessTreeOtherRSSMemory", "MinorGCCount", "MinorGCTime", "MajorGCCount",
        "MajorGCTime", "TotalGCTime", "ConcurrentGCCount", "ConcurrentGCTime",
    ];

    /// <summary>A metric a report does not hold (never above a peak).</summary>
    public const long NotReported = long.MinValue;

    public bool IsSet;
    public long[] Values = new long[Names.Length];

    /// <summary>
    /// Folds reported values (by index in <see cref="Names"/>, <see cref="NotReported"/> where absent) in as peaks
    /// (Spark's compareAndUpdatePeakValues); a report, even of zeros, sets it.
    /// </summary>
    public void Update(long[] reported)
    {
        IsSet = true;
        for (var i = 0; i < Names.Length; i++)
        {
            if (reported[i] > Values[i]) Values[i] = reported[i];
        }
    }
}

internal sealed class JobRow
{
    public int JobId;
    public string Name = "";
    public string? Description;
    public long? SubmissionTime;
    public long? CompletionTime;
    public List<int> StageIds = [];
    public List<int[]> StageAttempts = [];
    public string? JobGroup;
    public List<string> JobTags = [];
    public string Status = "RUNNING";
    public int NumTasks;
    public int ActiveTasks, CompletedTasks, SkippedTasks, FailedTasks, KilledTasks, CompletedIndices;
    public int ActiveStages, FailedStages;
    public SortedSet<int> CompletedStages = [];
    public SortedSet<int> SkippedStages = [];
    public SortedDictionary<string, int> KilledSummary = new(StringComparer.Ordinal);
    public bool Started;
}

internal sealed class ExecutorStageSummaryRow
{
    public long TaskTime;
    public int FailedTasks, SucceededTasks, KilledTasks;
    public TaskMetrics Metrics = new();
    public bool IsExcluded;
    public PeakMetrics Peak = new();
}

internal sealed class StageRow
{
    public int StageId;
    public int AttemptId;
    public string Status = "PENDING";
    public int NumTasks;
    public string Name = "";
    public string Details = "";
    public string? Description;
    public string SchedulingPool = "default";
    public List<int> RddIds = [];
    public SortedSet<int> JobIds = [];
    public long? SubmissionTime;
    public long? CompletionTime;
    public long? FirstLaunchTime;
    public string? FailureReason;
    public int ActiveTasks, CompletedTasks, FailedTasks, KilledTasks, CompletedIndices;
    /// <summary>One bit per task index that has succeeded in this attempt (numCompletedIndices without a task scan).</summary>
    public byte[] CompletedIndexBits = [];
    public TaskMetrics Metrics = new();
    public PeakMetrics Peak = new();
    public List<AccumulableRow> Accumulables = [];
    public SortedDictionary<string, int> KilledSummary = new(StringComparer.Ordinal);
    public SortedDictionary<string, ExecutorStageSummaryRow> Executors = new(StringComparer.Ordinal);
    public int ResourceProfileId;
    public bool IsShufflePushEnabled;
    public int ShuffleMergersCount;
    public bool Submitted;
}

/// <summary>Task indices of one stage id that have succeeded in any attempt (the job's numCompletedIndices).</summary>
internal sealed class StageIndicesRow
{
    public byte[] Bits = [];
}

internal sealed class TaskRow
{
    public long TaskId;
    public int StageId;
    public int StageAttemptId;
    public int Index;
    public int Attempt;
    public int PartitionId = -1;
    public long LaunchTime;
    public long? ResultFetchStart;
    public long? FinishTime;
    public string ExecutorId = "";
    public string Host = "";
    public string Status = "RUNNING";
    public string TaskLocality = "";
    public bool Speculative;
    public List<AccumulableRow> Accumulables = [];
    public string? ErrorMessage;
    public TaskMetrics? Metrics;
    public bool Started;
    public bool Ended;
}

/// <summary>The part of an <see cref="ExecutorRow"/> a task needs (its executor's logs): read without the rest of the row.</summary>
internal sealed class ExecutorLogsRow
{
    public Dictionary<string, string> ExecutorLogs = new(StringComparer.Ordinal);
}

internal sealed class ExecutorRow
{
    public string Id = "";
    public string HostPort = "";
    public string Host = "";
    public bool IsActive;
    public int TotalCores;
    public int MaxTasks;
    public long MaxMemory;
    public long AddTime;
    public long? RemoveTime;
    public string? RemoveReason;
    public Dictionary<string, string> ExecutorLogs = new(StringComparer.Ordinal);
    public Dictionary<string, string> Attributes = new(StringComparer.Ordinal);
    public string ResourcesJson = "{}";
    public int ResourceProfileId;
    public int ActiveTasks, CompletedTasks, FailedTasks, TotalTasks;
    public long TotalDuration, TotalGcTime, TotalInputBytes, TotalShuffleRead, TotalShuffleWrite;
    public bool IsExcluded;
    public SortedSet<int> ExcludedInStages = [];
    public PeakMetrics Peak = new();
    public bool HasMemoryInfo;
    public long TotalOnHeap, TotalOffHeap, UsedOnHeap, UsedOffHeap;
    /// <summary>Cached RDD blocks, and the memory and disk they and broadcast blocks use (Spark's rddBlocks, memoryUsed, diskUsed).</summary>
    public int RddBlocks;
    public long MemoryUsed, DiskUsed;
    /// <summary>RDDs with a data distribution on this executor, so its removal reaches only them.</summary>
    public SortedSet<int> CachedRddIds = [];
}

internal sealed class EnvironmentRow
{
    public string? JavaVersion, JavaHome, ScalaVersion;
    public List<string[]> SparkProperties = [];
    public List<string[]> HadoopProperties = [];
    public List<string[]> SystemProperties = [];
    public List<string[]> MetricsProperties = [];
    public List<string[]> ClasspathEntries = [];
}
