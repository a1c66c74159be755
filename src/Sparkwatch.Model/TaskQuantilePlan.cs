namespace Sparkwatch.Model;

/// <summary>
/// How a stage's task quantiles are computed within a memory bound: the successful tasks' values of as many metrics as
/// fit in the bound (8 bytes per task per metric) are read together in one scan, sorted in memory metric by metric, and
/// the values at Spark's positions picked; the next metrics follow in another scan. A stage whose single metric does not
/// fit is left to the store: one ordered scan per metric, sorted by the engine (which spills to disk, not to memory).
/// </summary>
public static class TaskQuantilePlan
{
    /// <summary>The default bound: 64 MiB, one scan for every metric of a stage of up to 220,000 successful tasks.</summary>
    public const long DefaultMemoryBytes = 64L * 1024 * 1024;

    /// <summary>Bytes one task's value of one metric takes in memory.</summary>
    public const int BytesPerValue = sizeof(long);

    /// <summary>
    /// How many metrics one scan of <paramref name="successfulTasks"/> tasks reads within <paramref name="memoryBytes"/>
    /// (at most <paramref name="metrics"/>); 0 when not even one fits and each metric takes an ordered scan in the store.
    /// </summary>
    public static int MetricsPerScan(long successfulTasks, int metrics, long memoryBytes)
    {
        if (successfulTasks <= 0 || metrics <= 0) return metrics;
        // Array.Sort and the arrays themselves: a metric's values are one long[] of the stage's size.
        if (successfulTasks > Array.MaxLength) return 0;
        return (int)Math.Min(metrics, Math.Max(0, memoryBytes) / BytesPerValue / successfulTasks);
    }

    /// <summary>Spark's positions (<c>AppStatusStore.taskSummary</c>): the task at min(q × count, count − 1) in each metric's order.</summary>
    public static long[] Positions(double[] quantiles, long successfulTasks) =>
        [.. quantiles.Select(q => Math.Min((long)(q * successfulTasks), successfulTasks - 1))];

    /// <summary>Sorts the first <paramref name="count"/> values in place and picks the positions from them (<see cref="PositionPicker"/>).</summary>
    public static long[] SortAndPick(long[] values, int count, long[] positions)
    {
        Array.Sort(values, 0, count);
        var picker = new PositionPicker(positions);
        for (var i = 0; i < count && picker.Add(values[i]); i++)
        {
        }
        return picker.Values();
    }
}

/// <summary>
/// Picks the values at given ascending 0-based positions from an ascending stream of values, fed one at a time; a
/// position beyond the stream's end takes its last value (0 for an empty stream).
/// </summary>
public sealed class PositionPicker(long[] positions)
{
    private readonly long[] _values = new long[positions.Length];
    private long _index = -1;
    private long _last;
    private int _next;

    /// <summary>Takes the stream's next value; false once every position is picked (the rest of the stream is not needed).</summary>
    public bool Add(long value)
    {
        _last = value;
        _index++;
        while (_next < positions.Length && positions[_next] <= _index) _values[_next++] = value;
        return _next < positions.Length;
    }

    /// <summary>The picked values, the positions past the stream's end given its last value.</summary>
    public long[] Values()
    {
        while (_next < positions.Length) _values[_next++] = _last;
        return _values;
    }
}
