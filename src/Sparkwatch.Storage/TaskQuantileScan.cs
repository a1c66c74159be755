using Sparkwatch.Model;

namespace Sparkwatch.Storage;

/// <summary>
/// Runs one of <see cref="ModelQueries"/>' stage statements (the stage's parameters <c>$r $a $st $sa</c> bound by the
/// engine) and hands each row to <paramref name="onRow"/> as a reader of its integer columns, until it returns false.
/// </summary>
public delegate Task StageRowScan(string sql, Func<Func<int, long>, bool> onRow, CancellationToken cancellationToken);

/// <summary>
/// A stage attempt's task quantiles from its successful tasks, the same on both engines (<see cref="TaskQuantilePlan"/>):
/// the count, then one scan per group of metrics that fits the memory bound, reading only the metrics' columns of
/// <c>model_tasks</c> (not the task documents), sorted in memory. The engine runs it in one read transaction, so the
/// count and every scan see the same tasks.
/// </summary>
public static class TaskQuantileScan
{
    /// <summary>
    /// The values at <paramref name="quantiles"/> (ascending) of each metric (indices into <see cref="TaskQuantileMetrics.Names"/>),
    /// or <c>null</c> when no task of the stage succeeded.
    /// </summary>
    public static async Task<long[][]?> ComputeAsync(StageRowScan scan, double[] quantiles, int[] metrics, long memoryBytes, CancellationToken ct)
    {
        long count = 0;
        await scan(ModelQueries.CountSuccessful, row =>
        {
            count = row(0);
            return false;
        }, ct);
        if (count == 0) return null;
        var positions = TaskQuantilePlan.Positions(quantiles, count);
        var values = new long[metrics.Length][];
        var perScan = TaskQuantilePlan.MetricsPerScan(count, metrics.Length, memoryBytes);
        if (perScan == 0)
        {
            // Not even one metric fits: the engine sorts (ORDER BY), the values stream past once per metric.
            for (var i = 0; i < metrics.Length; i++) values[i] = await OrderedScanAsync(scan, metrics[i], positions, ct);
            return values;
        }
        // One array per metric of a scan, reused by the next scan: at most perScan × count × 8 bytes.
        var columns = new long[perScan][];
        for (var j = 0; j < perScan; j++) columns[j] = new long[count];
        for (var first = 0; first < metrics.Length; first += perScan)
        {
            var width = Math.Min(perScan, metrics.Length - first);
            var read = 0;
            // The transaction's snapshot holds exactly `count` rows; a row beyond them would not fit the bound.
            await scan(ModelQueries.QuantileColumns(metrics[first..(first + width)]), row =>
            {
                for (var j = 0; j < width; j++) columns[j][read] = row(j);
                return ++read < count;
            }, ct);
            for (var j = 0; j < width; j++) values[first + j] = TaskQuantilePlan.SortAndPick(columns[j], read, positions);
        }
        return values;
    }

    private static async Task<long[]> OrderedScanAsync(StageRowScan scan, int metric, long[] positions, CancellationToken ct)
    {
        var picker = new PositionPicker(positions);
        await scan(ModelQueries.QuantileScan(metric), row => picker.Add(row(0)), ct);
        return picker.Values();
    }
}
