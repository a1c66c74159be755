using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>
/// An RDD's cached partitions as Spark shows them: in the order first cached, without executors that were removed
/// since (Spark's onExecutorRemoved, applied here at read time so a removal does not rewrite every partition). A
/// partition whose only executor was removed is gone; one held by several loses that executor's share of its sizes.
/// </summary>
internal static class RddView
{
    public static List<RddPartitionRow> Partitions(RddRow rdd, IEnumerable<RddPartitionRow> rows, IReadOnlyDictionary<string, ExecutorRow> executors)
    {
        var visible = new List<RddPartitionRow>();
        foreach (var p in rows.Where(p => p.RddId == rdd.Id && p.Generation == rdd.Generation && p.Cached).OrderBy(p => p.Seq))
        {
            foreach (var id in p.Executors.Where(id => executors.GetValueOrDefault(id) is { IsActive: false, RemoveTime: not null }).ToList())
            {
                var n = p.Executors.Count;
                p.MemoryUsed -= p.MemoryUsed / n;
                p.DiskUsed -= p.DiskUsed / n;
                p.Executors.Remove(id);
            }
            if (p.Executors.Count > 0) visible.Add(p);
        }
        return visible;
    }
}
