namespace Sparkwatch.Model.Rows;

// Rows of RDD storage, resource profiles and miscellaneous processes (Spark's LiveRDD, LiveResourceProfile and
// LiveMiscellaneousProcess). Like the other rows, each is one JSON document under its key.

/// <summary>
/// A persisted RDD, from the first stage that listed it with a valid storage level until it is unpersisted. An RDD id
/// cached again after an unpersist starts a new <see cref="Generation"/>, so the old generation's partition rows are
/// left behind instead of deleted.
/// </summary>
internal sealed class RddRow
{
    public int Id;
    public string Name = "";
    public int NumPartitions;
    public string StorageLevel = "";
    public bool UseOffHeap;
    public bool Live;
    public int Generation;
    public int NextPartitionSeq;
    public long MemoryUsed, DiskUsed;
    /// <summary>Per executor id, in first-seen order.</summary>
    public Dictionary<string, RddDistributionRow> Distributions = new(StringComparer.Ordinal);
}

/// <summary>What one RDD holds on one executor; <see cref="Blocks"/> counts its partitions there (for the unpersist).</summary>
internal sealed class RddDistributionRow
{
    public long MemoryUsed, DiskUsed, OnHeapUsed, OffHeapUsed;
    public int Blocks;
}

/// <summary>A cached block of an RDD: its executors, in the order they reported it, and their sizes.</summary>
internal sealed class RddPartitionRow
{
    public int RddId;
    public int Generation;
    public string BlockName = "";
    /// <summary>Position in the RDD's partition list: Spark lists partitions in the order they were first cached.</summary>
    public int Seq;
    public bool Cached;
    public long MemoryUsed, DiskUsed;
    public List<string> Executors = [];
}

/// <summary>A resource profile (SparkListenerResourceProfileAdded).</summary>
internal sealed class ResourceProfileRow
{
    public int Id;
    public List<ExecutorResourceRow> ExecutorResources = [];
    public List<TaskResourceRow> TaskResources = [];
}

/// <summary>An executor resource request of a profile.</summary>
internal sealed class ExecutorResourceRow
{
    public string Key = "";
    public string ResourceName = "";
    public long Amount;
    public string DiscoveryScript = "";
    public string Vendor = "";
}

/// <summary>A task resource request of a profile.</summary>
internal sealed class TaskResourceRow
{
    public string Key = "";
    public string ResourceName = "";
    public double Amount;
}

/// <summary>A process of the application that is neither the driver nor an executor (SparkListenerMiscellaneousProcessAdded); Spark has no event for its end.</summary>
internal sealed class MiscProcessRow
{
    public string Id = "";
    public string HostPort = "";
    public bool IsActive;
    public int TotalCores;
    public long AddTime;
    public Dictionary<string, string> ProcessLogs = new(StringComparer.Ordinal);
}
