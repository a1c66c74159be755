namespace Sparkwatch.Model;

/// <summary>The kinds of row the model keeps per run and application attempt.</summary>
public enum ModelKind
{
    /// <summary>Run-wide state (attempt 0, id "").</summary>
    RunState = 0,
    /// <summary>An application attempt (id "").</summary>
    Attempt = 1,
    /// <summary>A job (id = job id).</summary>
    Job = 2,
    /// <summary>A stage attempt (id = "stageId.attemptId").</summary>
    Stage = 3,
    /// <summary>An executor (id = executor id).</summary>
    Executor = 4,
    /// <summary>The environment (id "").</summary>
    Environment = 5,
    /// <summary>The task indices of a stage id that succeeded in any attempt (id = stage id).</summary>
    StageIndices = 6,
    /// <summary>A persisted RDD (id = RDD id).</summary>
    Rdd = 7,
    /// <summary>A cached partition of an RDD (id = "rddId.generation.blockName").</summary>
    RddPartition = 8,
    /// <summary>A resource profile (id = profile id).</summary>
    ResourceProfile = 9,
    /// <summary>A miscellaneous process, such as YARN's application master (id = process id).</summary>
    MiscProcess = 10,
    /// <summary>A SQL execution (id = execution id).</summary>
    SqlExecution = 11,
    /// <summary>
    /// A stage attempt's task quantiles as computed by a read, kept for the next (id = "stageId.attemptId|quantiles|metrics";
    /// written by reads, not by the projector; see <see cref="TaskSummaryCache"/>).
    /// </summary>
    TaskSummary = 12,
    /// <summary>
    /// The SQL metric values the tasks of a stage reported, for the stage's latest attempt (id = stage id; see
    /// <see cref="Rows.SqlStageMetricsRow"/>).
    /// </summary>
    SqlStageMetrics = 13,
    /// <summary>The SQL metric values the driver posted for an execution (id = execution id).</summary>
    SqlDriverMetrics = 14,
}

/// <summary>Where a model row lives: the run's key in the store, the model's attempt number (1, 2, … in arrival order), the kind and the id.</summary>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="AttemptNo">The application attempt, numbered by the model from 1; 0 for run-wide rows.</param>
/// <param name="Kind">The row's kind.</param>
/// <param name="Id">The row's id within its kind.</param>
public readonly record struct ModelKey(long RunPk, int AttemptNo, ModelKind Kind, string Id);

/// <summary>
/// The columns of a task row that reads filter and sort on in SQL (a stage's task list, its quantile summary), so a page
/// of a 1M-task stage is read with ORDER BY/LIMIT instead of loading the stage.
/// </summary>
/// <param name="RunPk">The run's key.</param>
/// <param name="AttemptNo">The model's attempt number.</param>
/// <param name="TaskId">Spark's task id.</param>
/// <param name="StageId">The stage.</param>
/// <param name="StageAttemptId">The stage attempt.</param>
/// <param name="Index">The task's index in its stage.</param>
/// <param name="Status">SUCCESS, FAILED, KILLED, RUNNING…</param>
/// <param name="RunTimeKey">Sort key of <c>sortBy=runtime</c>: the run time of a successful task, −(run time)−1 for others, −1 without metrics (as Spark's index).</param>
/// <param name="Quantiles">Values of <see cref="TaskQuantileMetrics.Names"/> in order, for quantile summaries.</param>
public sealed record TaskColumns(long RunPk, int AttemptNo, long TaskId, int StageId, int StageAttemptId, int Index, string Status, long RunTimeKey, long[] Quantiles);

/// <summary>
/// The engine adapter the projector works against, inside the store's write transaction: read and write rows by key.
/// </summary>
public interface IModelRows
{
    /// <summary>The row's document, or <c>null</c> when absent.</summary>
    byte[]? Read(ModelKey key);

    /// <summary>Inserts or replaces the row.</summary>
    void Write(ModelKey key, byte[] document);

    /// <summary>The task's document, or <c>null</c> when absent.</summary>
    byte[]? ReadTask(long runPk, int attemptNo, long taskId);

    /// <summary>Inserts or replaces the task row with its sort and quantile columns.</summary>
    void WriteTask(TaskColumns columns, byte[] document);
}
