using System.Buffers.Binary;
using System.Globalization;

namespace Sparkwatch.Model;

/// <summary>
/// Task quantiles of a stage attempt, kept as a model row (<see cref="ModelKind.TaskSummary"/>) once a read computed
/// them, as Spark's History Server keeps its <c>CachedQuantile</c>s: computing them takes one ordered scan of the
/// stage's successful tasks per metric, which on a stage of 200,000 tasks is seconds, and reading them back is one row.
/// An entry holds for as long as the stage's count of successful tasks is the one it was computed at: a task only ever
/// joins the successful set (its end counts once), so an unchanged count is an unchanged set. A rebuild drops it with
/// the run's other model rows.
/// </summary>
public static class TaskSummaryCache
{
    /// <summary>The cache row's key for these quantiles (ascending) of these metrics (indices into <see cref="TaskQuantileMetrics.Names"/>).</summary>
    public static ModelKey Key(long runPk, int attemptNo, int stageId, int stageAttemptId, double[] quantiles, int[] metrics) =>
        new(runPk, attemptNo, ModelKind.TaskSummary,
            $"{RunScope.StageKey(stageId, stageAttemptId)}|{string.Join(',', quantiles.Select(q => q.ToString("R", CultureInfo.InvariantCulture)))}|{string.Join(',', metrics)}");

    /// <summary>
    /// The row: the stage's successful-task count it holds for, then per metric the values at the quantiles
    /// (little-endian int64s); no values when no task had succeeded.
    /// </summary>
    public static byte[] Encode(long completedTasks, long[][]? values)
    {
        var rows = values ?? [];
        var width = rows.Length == 0 ? 0 : rows[0].Length;
        var bytes = new byte[8 * (3 + rows.Length * width)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, completedTasks);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], rows.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], width);
        var at = 24;
        foreach (var row in rows)
        {
            foreach (var v in row)
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[at..], v);
                at += 8;
            }
        }
        return bytes;
    }

    /// <summary>The values of a row written at <paramref name="completedTasks"/> successful tasks; <c>false</c> when it is stale or unreadable.</summary>
    public static bool TryDecode(byte[]? row, long completedTasks, out long[][]? values)
    {
        values = null;
        if (row is not { Length: >= 24 } || BinaryPrimitives.ReadInt64LittleEndian(row) != completedTasks) return false;
        var count = BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(8));
        var width = BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(16));
        if (count < 0 || width < 0 || row.Length != 8 * (3 + count * width)) return false;
        if (count == 0) return true;
        values = new long[count][];
        var at = 24;
        for (var i = 0; i < count; i++)
        {
            values[i] = new long[width];
            for (var j = 0; j < width; j++, at += 8) values[i][j] = BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(at));
        }
        return true;
    }
}
