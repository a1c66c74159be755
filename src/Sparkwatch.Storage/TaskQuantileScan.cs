using System.Data.Common;
using Sparkwatch.Model;

namespace Sparkwatch.Storage;

/// <summary>
/// A stage attempt's task quantiles from its successful tasks, the same on both engines (<see cref="TaskQuantilePlan"/>):
/// the count, then one scan per group of metrics that fits the memory bound, reading only the metrics' columns of
/// <c>model_tasks</c> (never the task documents), sorted in memory. The engine runs it in one read transaction, so
/// the count and every scan see the same tasks.
/// </summary>
public static class TaskQuantileScan
{
    /// <summary>
    /// The values at <paramref name="quantiles"/> (ascending) of each metric (indices into <see cref="TaskQuantileMetrics.Names"/>),
    /// or <c>null</c> when no task of the stage succeeded. <paramref name="command"/> makes a command of one of
    /// <see cref="ModelQueries"/>' stage statements with the stage's parameters bound, on the engine's transaction.
    /// </summary>
    public static async Task<long[][]?> ComputeAsync(Func<string, DbCommand> command, double[] quantiles, int[] metrics, long memoryBytes, CancellationToken ct)
    {
        long count;
        await using (var counting = command(ModelQueries.CountSuccessful))
        {
            count = Convert.ToInt64(await counting.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        if (count == 0) return null;
        var positions = TaskQuantilePlan.Positions(quantiles, count);
        var values = new long[metrics.Length][];
        var perScan = TaskQuantilePlan.MetricsPerScan(count, metrics.Length, memoryBytes);
        if (perScan == 0)
        {
            for (var i = 0; i < metrics.Length; i++) values[i] = await OrderedScanAsync(command, metrics[i], positions, ct);
            return values;
        }
        // One array per metric of a scan, reused by the next scan: at most perScan × count × 8 bytes.
        var columns = new long[perScan][];
        for (var j = 0; j < perScan; j++) columns[j] = new long[count];
        for (var first = 0; first < metrics.Length; first += perScan)
        {
            var group = metrics[first..Math.Min(metrics.Length, first + perScan)];
            var read = 0;
            await using (var scan = command(ModelQueries.QuantileColumns(group)))
            await using (var reader = await scan.ExecuteReaderAsync(ct))
            {
                // The transaction's snapshot holds exactly `count` rows; a row beyond them would not fit the bound.
                while (read < count && await reader.ReadAsync(ct))
                {
                    for (var j = 0; j < group.Length; j++) columns[j][read] = reader.GetInt64(j);
                    read++;
                }
            }
            for (var j = 0; j < group.Length; j++) values[first + j] = TaskQuantilePlan.SortAndPick(columns[j], read, positions);
        }
        return values;
    }

    // A stage too large for one metric in memory: the engine sorts (ORDER BY), the values stream past once.
    private static async Task<long[]> OrderedScanAsync(Func<string, DbCommand> command, int metric, long[] positions, CancellationToken ct)
    {
        await using var scan = command(ModelQueries.QuantileScan(metric));
        await using var reader = await scan.ExecuteReaderAsync(ct);
        return TaskQuantilePlan.PickPositions(() => reader.Read() ? reader.GetInt64(0) : null, positions);
    }
}
