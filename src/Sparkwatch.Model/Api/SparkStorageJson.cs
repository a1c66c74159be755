using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>
/// Writes RDD storage, resource profiles and miscellaneous processes in the JSON of Spark's <c>/api/v1</c>
/// (RDDStorageInfo, ResourceProfileInfo, ProcessSummary), fields in Spark's order.
/// </summary>
internal static class SparkStorageJson
{
    /// <summary>An RDD with its cached partitions (as <see cref="RddView"/> sees them) and its data distribution over the executors.</summary>
    public static void Rdd(Utf8JsonWriter w, RddRow rdd, IReadOnlyList<RddPartitionRow> partitions, IReadOnlyDictionary<string, ExecutorRow> executors)
    {
        w.WriteStartObject();
        w.WriteNumber("id", rdd.Id);
        w.WriteString("name", rdd.Name);
        w.WriteNumber("numPartitions", rdd.NumPartitions);
        w.WriteNumber("numCachedPartitions", partitions.Count);
        w.WriteString("storageLevel", rdd.StorageLevel);
        w.WriteNumber("memoryUsed", rdd.MemoryUsed);
        w.WriteNumber("diskUsed", rdd.DiskUsed);
        if (rdd.Distributions.Count > 0)
        {
            w.WriteStartArray("dataDistribution");
            foreach (var (executorId, dist) in rdd.Distributions)
            {
                if (executors.TryGetValue(executorId, out var exec)) Distribution(w, dist, exec);
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("partitions");
        foreach (var p in partitions)
        {
            w.WriteStartObject();
            w.WriteString("blockName", p.BlockName);
            w.WriteString("storageLevel", rdd.StorageLevel);
            w.WriteNumber("memoryUsed", p.MemoryUsed);
            w.WriteNumber("diskUsed", p.DiskUsed);
            w.WriteStartArray("executors");
            foreach (var id in p.Executors) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Spark's LiveRDDDistribution.toApi: what remains is the executor's, as of now.
    private static void Distribution(Utf8JsonWriter w, RddDistributionRow dist, ExecutorRow exec)
    {
        w.WriteStartObject();
        w.WriteString("address", exec.HostPort.Length > 0 ? exec.HostPort : exec.Host);
        w.WriteNumber("memoryUsed", dist.MemoryUsed);
        w.WriteNumber("memoryRemaining", exec.MaxMemory - exec.MemoryUsed);
        w.WriteNumber("diskUsed", dist.DiskUsed);
        if (exec.HasMemoryInfo)
        {
            w.WriteNumber("onHeapMemoryUsed", dist.OnHeapUsed);
            w.WriteNumber("offHeapMemoryUsed", dist.OffHeapUsed);
            w.WriteNumber("onHeapMemoryRemaining", exec.TotalOnHeap - exec.UsedOnHeap);
            w.WriteNumber("offHeapMemoryRemaining", exec.TotalOffHeap - exec.UsedOffHeap);
        }
        w.WriteEndObject();
    }

    public static void ResourceProfile(Utf8JsonWriter w, ResourceProfileRow profile)
    {
        w.WriteStartObject();
        w.WriteNumber("id", profile.Id);
        w.WriteStartObject("executorResources");
        foreach (var r in profile.ExecutorResources)
        {
            w.WriteStartObject(r.Key);
            w.WriteString("resourceName", r.ResourceName);
            w.WriteNumber("amount", r.Amount);
            w.WriteString("discoveryScript", r.DiscoveryScript);
            w.WriteString("vendor", r.Vendor);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("taskResources");
        foreach (var r in profile.TaskResources)
        {
            w.WriteStartObject(r.Key);
            w.WriteString("resourceName", r.ResourceName);
            w.WritePropertyName("amount");
            w.WriteRawValue(JavaNumbers.Double(r.Amount));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void MiscProcess(Utf8JsonWriter w, MiscProcessRow p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("hostPort", p.HostPort);
        w.WriteBoolean("isActive", p.IsActive);
        w.WriteNumber("totalCores", p.TotalCores);
        w.Date("addTime", p.AddTime);
        w.Map("processLogs", p.ProcessLogs);
        w.WriteEndObject();
    }
}
