using System.Globalization;
using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>
/// RDD storage and the executors' storage use, following Spark's AppStatusListener (onStageSubmitted's RDD infos,
/// onBlockUpdated, onUnpersistRDD, onExecutorRemoved). O(1) rows per block update (the executor, the RDD, one
/// partition); an unpersist or an executor removal touches the RDD's executors or the executor's RDDs. Partitions an
/// executor held when it was removed are adjusted when they are read (<see cref="Api.SparkApi"/>), not here, so the
/// removal does not scan every partition.
/// </summary>
internal static class RddProjection
{
    /// <summary>Each RDD a submitted stage lists with a valid storage level becomes a persisted RDD, unless it is one already.</summary>
    public static void StageSubmitted(RunScope run, JsonElement e)
    {
        foreach (var info in e.Prop("Stage Info").Items("RDD Info"))
        {
            var level = StorageLevel.Read(info.Prop("Storage Level"));
            if (!level.IsValid) continue;
            var id = info.Int("RDD ID");
            // Every stage lists its RDDs again; one already persisted is left untouched (not even rewritten).
            if (run.Session.Find<RddRow>(Key(run, id)) is { Live: true }) continue;
            var rdd = run.Session.Get(Key(run, id), () => new RddRow { Id = id, Generation = -1 });
            // New, or cached again after an unpersist: a fresh RDD whose partition rows are of a new generation.
            rdd.Name = info.Str("Name") ?? "";
            rdd.NumPartitions = info.Int("Number of Partitions");
            rdd.StorageLevel = level.Description;
            rdd.UseOffHeap = level.UseOffHeap;
            rdd.Live = true;
            rdd.Generation++;
            rdd.NextPartitionSeq = 0;
            rdd.MemoryUsed = 0;
            rdd.DiskUsed = 0;
            rdd.Distributions.Clear();
        }
    }

    public static void BlockUpdated(RunScope run, JsonElement e)
    {
        var info = e.Prop("Block Updated Info");
        var executorId = info.Prop("Block Manager ID").ExecutorId();
        var blockId = info.Str("Block ID") ?? "";
        var level = StorageLevel.Read(info.Prop("Storage Level"));
        // Whether the sizes are added to or removed from the accounting.
        var memoryDelta = info.Long("Memory Size") * (level.UseMemory ? 1 : -1);
        var diskDelta = info.Long("Disk Size") * (level.UseDisk ? 1 : -1);
        var exec = run.FindExecutor(executorId) is { IsActive: true } live ? live : null;
        if (RddIdOf(blockId) is { } rddId)
        {
            if (exec is not null) UpdateExecutor(exec, level.UseOffHeap, memoryDelta, diskDelta);
            var blocksDelta = run.Session.FindForUpdate<RddRow>(Key(run, rddId)) is { Live: true } rdd
                ? UpdateRdd(run, rdd, blockId, executorId, exec, level, memoryDelta, diskDelta)
                : 0;
            if (exec is not null) exec.RddBlocks += blocksDelta;
        }
        else if (blockId.StartsWith("broadcast_", StringComparison.Ordinal) && exec is not null)
        {
            UpdateExecutor(exec, level.UseOffHeap, memoryDelta, diskDelta);
        }
        // Stream blocks (input-…) are not modelled.
    }

    // Returns the change in the executor's number of RDD blocks.
    private static int UpdateRdd(RunScope run, RddRow rdd, string blockName, string executorId, ExecutorRow? exec, StorageLevel level, long memoryDelta, long diskDelta)
    {
        var partition = run.Session.Get(PartitionKey(run, rdd, blockName), () => new RddPartitionRow { RddId = rdd.Id, Generation = rdd.Generation, BlockName = blockName });
        if (!partition.Cached)
        {
            // Spark appends a partition to the RDD's list when it is first (or again) cached.
            partition.Seq = rdd.NextPartitionSeq++;
            partition.MemoryUsed = 0;
            partition.DiskUsed = 0;
            partition.Executors.Clear();
        }
        int blocksDelta;
        if (level.IsValid)
        {
            blocksDelta = partition.Executors.Contains(executorId) ? 0 : 1;
            if (blocksDelta == 1) partition.Executors.Add(executorId);
        }
        else
        {
            blocksDelta = -1;
            partition.Executors.Remove(executorId);
        }
        partition.Cached = partition.Executors.Count > 0;
        partition.MemoryUsed = partition.Cached ? AddDelta(partition.MemoryUsed, memoryDelta) : 0;
        partition.DiskUsed = partition.Cached ? AddDelta(partition.DiskUsed, diskDelta) : 0;

        if (exec is not null)
        {
            if (exec.RddBlocks + blocksDelta > 0)
            {
                if (!rdd.Distributions.TryGetValue(executorId, out var dist)) rdd.Distributions[executorId] = dist = new RddDistributionRow();
                dist.MemoryUsed = AddDelta(dist.MemoryUsed, memoryDelta);
                dist.DiskUsed = AddDelta(dist.DiskUsed, diskDelta);
                dist.Blocks = Math.Max(0, dist.Blocks + blocksDelta);
                if (exec.HasMemoryInfo) AddToHeap(level.UseOffHeap, ref dist.OnHeapUsed, ref dist.OffHeapUsed, memoryDelta);
                exec.CachedRddIds.Add(rdd.Id);
            }
            else
            {
                rdd.Distributions.Remove(executorId);
            }
        }
        rdd.MemoryUsed = AddDelta(rdd.MemoryUsed, memoryDelta);
        rdd.DiskUsed = AddDelta(rdd.DiskUsed, diskDelta);
        return blocksDelta;
    }

    /// <summary>The RDD is no longer listed; what it held comes off its executors.</summary>
    public static void Unpersisted(RunScope run, JsonElement e)
    {
        if (run.Session.FindForUpdate<RddRow>(Key(run, e.Int("RDD ID"))) is not { Live: true } rdd) return;
        rdd.Live = false;
        foreach (var (executorId, dist) in rdd.Distributions)
        {
            if (run.FindExecutor(executorId) is not { IsActive: true } exec) continue;
            exec.RddBlocks -= dist.Blocks;
            if (exec.HasMemoryInfo) AddToHeap(rdd.UseOffHeap, ref exec.UsedOnHeap, ref exec.UsedOffHeap, rdd.UseOffHeap ? -dist.OffHeapUsed : -dist.OnHeapUsed);
            exec.MemoryUsed = AddDelta(exec.MemoryUsed, -dist.MemoryUsed);
            exec.DiskUsed = AddDelta(exec.DiskUsed, -dist.DiskUsed);
            exec.CachedRddIds.Remove(rdd.Id);
        }
        rdd.Distributions.Clear();
    }

    /// <summary>Before the executor is marked removed: its data distributions leave the RDDs it held, and their sizes with them.</summary>
    public static void ExecutorRemoved(RunScope run, JsonElement e)
    {
        if (run.FindExecutor(e.ExecutorId()) is not { IsActive: true } exec) return;
        foreach (var rddId in exec.CachedRddIds)
        {
            if (run.Session.FindForUpdate<RddRow>(Key(run, rddId)) is not { Live: true } rdd || !rdd.Distributions.Remove(exec.Id, out var dist)) continue;
            rdd.MemoryUsed = AddDelta(rdd.MemoryUsed, -dist.MemoryUsed);
            rdd.DiskUsed = AddDelta(rdd.DiskUsed, -dist.DiskUsed);
        }
        exec.CachedRddIds.Clear();
    }

    private static void UpdateExecutor(ExecutorRow exec, bool offHeap, long memoryDelta, long diskDelta)
    {
        if (exec.HasMemoryInfo) AddToHeap(offHeap, ref exec.UsedOnHeap, ref exec.UsedOffHeap, memoryDelta);
        exec.MemoryUsed = AddDelta(exec.MemoryUsed, memoryDelta);
        exec.DiskUsed = AddDelta(exec.DiskUsed, diskDelta);
    }

    private static void AddToHeap(bool offHeap, ref long onHeapUsed, ref long offHeapUsed, long delta)
    {
        if (offHeap) offHeapUsed = AddDelta(offHeapUsed, delta);
        else onHeapUsed = AddDelta(onHeapUsed, delta);
    }

    // Spark never lets a size go negative.
    private static long AddDelta(long value, long delta) => Math.Max(0, value + delta);

    // RDDBlockId: rdd_{rddId}_{splitIndex}.
    private static int? RddIdOf(string blockId)
    {
        if (!blockId.StartsWith("rdd_", StringComparison.Ordinal)) return null;
        var parts = blockId.Split('_');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? id
            : null;
    }

    private static ModelKey Key(RunScope run, int rddId) => run.Key(ModelKind.Rdd, rddId.ToString(CultureInfo.InvariantCulture));

    private static ModelKey PartitionKey(RunScope run, RddRow rdd, string blockName) =>
        run.Key(ModelKind.RddPartition, FormattableString.Invariant($"{rdd.Id}.{rdd.Generation}.{blockName}"));
}
