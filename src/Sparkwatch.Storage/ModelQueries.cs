using Sparkwatch.Model;

namespace Sparkwatch.Storage;

/// <summary>
/// The model's read statements, shared by both engines (parameters <c>$r</c> run, <c>$a</c> attempt, <c>$st</c> stage,
/// <c>$sa</c> stage attempt; each engine spells them its own way via <c>$</c> → <c>@</c> where needed).
/// </summary>
public static class ModelQueries
{
    private const string StageTasks = "run_pk = $r AND attempt_no = $a AND stage_id = $st AND stage_attempt = $sa";

    /// <summary>Successful tasks of a stage attempt.</summary>
    public const string CountSuccessful = $"SELECT count(*) FROM model_tasks WHERE {StageTasks} AND status = 'SUCCESS'";

    /// <summary>A page of tasks: filtered by status, ordered as Spark's indexes order them (ties by task id, reversed with the order).</summary>
    public static string TaskPage(TaskQuery query, Func<int, string> statusParameter)
    {
        var statuses = query.Statuses.Count == 0 ? "" : $" AND status IN ({string.Join(", ", query.Statuses.Select((_, i) => statusParameter(i)))})";
        var order = query.Order switch
        {
            TaskOrder.IncreasingRuntime => "run_time_key, task_id",
            TaskOrder.DecreasingRuntime => "run_time_key DESC, task_id DESC",
            _ => "task_id",
        };
        return $"SELECT doc FROM model_tasks WHERE {StageTasks}{statuses} ORDER BY {order} LIMIT $limit OFFSET $offset";
    }

    /// <summary>One quantile metric's values over the successful tasks of a stage attempt, ascending.</summary>
    public static string QuantileScan(int metric)
    {
        var column = TaskQuantileMetrics.Column(metric);
        return $"SELECT {column} FROM model_tasks WHERE {StageTasks} AND status = 'SUCCESS' ORDER BY {column}";
    }

    /// <summary>Reads an ascending stream once and returns the values at the given ascending positions (NaN-free: a missing position repeats the last value).</summary>
    public static long[] PickPositions(Func<long?> next, long[] positions)
    {
        var values = new long[positions.Length];
        long index = -1, last = 0;
        for (var i = 0; i < positions.Length; i++)
        {
            while (index < positions[i] && next() is { } v)
            {
                last = v;
                index++;
            }
            values[i] = last;
        }
        return values;
    }
}
