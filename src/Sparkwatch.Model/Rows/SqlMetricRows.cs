namespace Sparkwatch.Model.Rows;

/// <summary>
/// The SQL metric updates of one stage's tasks (Spark's LiveStageMetrics), for the stage's latest attempt: an earlier
/// attempt's values are dropped when a later one reports, as Spark does. Only successful tasks count, the first per
/// task index (Spark keeps one value per index and stops at its first success; SQL metrics do not count failed values,
/// so failed and killed tasks report none). The row's size is bounded by the stage's metrics, not its tasks: see
/// <see cref="SqlMetricAggregate"/>.
/// </summary>
internal sealed class SqlStageMetricsRow
{
    public int StageId;
    /// <summary>The execution whose job listed the stage; −1 until that job's start arrives.</summary>
    public long ExecutionId = -1;
    public int StageAttemptId;
    /// <summary>The stage's task count from its job's start: indices that reported nothing count as 0, as in Spark.</summary>
    public int NumTasks;
    /// <summary>Accumulator id → what the stage's tasks reported.</summary>
    public Dictionary<long, SqlMetricAggregate> Metrics = [];
}

/// <summary>
/// The values one SQL metric took across tasks, kept in bounded space: totals, the extremes with the task that reported
/// the largest value, and the distribution for the median. The distribution is exact while it has at most
/// <see cref="ExactLimit"/> distinct values; beyond that every value is kept as the bucket it falls in (16 buckets per
/// power of two, values below 32 exact), so a row holds at most ~1,000 entries per metric whatever the task count,
/// and the median read from it is within 1/32 of the value it stands for.
/// </summary>
internal sealed class SqlMetricAggregate
{
    /// <summary>Distinct values kept exactly before the distribution switches to buckets.</summary>
    public const int ExactLimit = 64;

    /// <summary>Sum of every update (Spark's sum of a <c>sum</c> metric).</summary>
    public long Total;
    /// <summary>Sum of the valid (≥ 0) updates (Spark's total of the other types).</summary>
    public long ValidTotal;
    /// <summary>How many task indices reported the metric.</summary>
    public int Reported;
    /// <summary>Smallest valid update; <see cref="long.MaxValue"/> without one.</summary>
    public long MinValid = long.MaxValue;
    /// <summary>Largest update and the task that reported it first.</summary>
    public long Max = long.MinValue;
    public long MaxTaskId = -1;
    /// <summary>True once <see cref="Keys"/> holds bucket lower bounds instead of values.</summary>
    public bool Bucketed;
    /// <summary>Valid values (or bucket lower bounds), ascending; <see cref="Tasks"/> holds how many tasks reported each (parallel lists serialize faster than a map).</summary>
    public List<long> Keys = [];
    public List<long> Tasks = [];

    /// <summary>Folds in one task's update.</summary>
    public void Add(long value, long taskId)
    {
        Total += value;
        Reported += 1;
        if (value > Max || MaxTaskId < 0)
        {
            Max = value;
            MaxTaskId = taskId;
        }
        if (value < 0) return;
        ValidTotal += value;
        MinValid = Math.Min(MinValid, value);
        Count(Bucketed ? Bucket(value) : value, 1);
        if (!Bucketed && Keys.Count > ExactLimit) ToBuckets();
    }

    private void Count(long key, long tasks)
    {
        var at = Keys.BinarySearch(key);
        if (at >= 0)
        {
            Tasks[at] += tasks;
            return;
        }
        Keys.Insert(~at, key);
        Tasks.Insert(~at, tasks);
    }

    private void ToBuckets()
    {
        var (keys, tasks) = (Keys, Tasks);
        (Keys, Tasks, Bucketed) = ([], [], true);
        for (var i = 0; i < keys.Count; i++) Count(Bucket(keys[i]), tasks[i]);
    }

    /// <summary>The lower bound of <paramref name="value"/>'s bucket: values below 32 are their own, above keep their 5 leading bits.</summary>
    public static long Bucket(long value)
    {
        if (value < 32) return value;
        var shift = 63 - long.LeadingZeroCount(value) - 4;
        return value >> (int)shift << (int)shift;
    }

    /// <summary>The value a bucket stands for: its middle (the value itself below 32).</summary>
    public static long Middle(long lowerBound)
    {
        if (lowerBound < 32) return lowerBound;
        var shift = 63 - long.LeadingZeroCount(lowerBound) - 4;
        return lowerBound + ((1L << (int)shift) >> 1);
    }
}

/// <summary>What the driver posted for an execution's metrics (SparkListenerDriverAccumUpdates): accumulator id → value.</summary>
internal sealed class SqlDriverMetricsRow
{
    public Dictionary<long, long> Values = [];
}
