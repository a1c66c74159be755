namespace Sparkwatch.Model;

/// <summary>A run that has a Spark application id, as /api/v1 lists and addresses it.</summary>
/// <param name="RunPk">The run's key in the store.</param>
/// <param name="JobName">Its job.</param>
/// <param name="RunId">Its run id.</param>
/// <param name="AppId">The Spark application id.</param>
public sealed record ModelRun(long RunPk, string JobName, string RunId, string AppId);

/// <summary>A run in the order the applications list walks them: latest application end first (runs without one last), then newest.</summary>
/// <param name="Run">The run.</param>
/// <param name="EndBound">Its latest application end in the store's run facts (−1 without one): no attempt of it ended later.</param>
/// <param name="SortTime">Its start as the runs list orders it (ties).</param>
public sealed record RunByEnd(ModelRun Run, long EndBound, long SortTime);

/// <summary>Task order of a task list, as Spark's <c>sortBy</c>.</summary>
public enum TaskOrder
{
    /// <summary>By task id.</summary>
    Id,
    /// <summary>By executor run time, shortest first (successful tasks above the others).</summary>
    IncreasingRuntime,
    /// <summary>By executor run time, longest first.</summary>
    DecreasingRuntime,
}

/// <summary>A page of a stage attempt's tasks.</summary>
/// <param name="RunPk">The run.</param>
/// <param name="AttemptNo">The model's attempt number.</param>
/// <param name="StageId">The stage.</param>
/// <param name="StageAttemptId">The stage attempt.</param>
/// <param name="Statuses">Only tasks in these statuses; empty for all.</param>
/// <param name="Order">The order.</param>
/// <param name="Offset">Tasks skipped.</param>
/// <param name="Length">Tasks returned at most.</param>
public sealed record TaskQuery(long RunPk, int AttemptNo, int StageId, int StageAttemptId, IReadOnlyList<string> Statuses, TaskOrder Order, int Offset, int Length);

/// <summary>The read side of the model, implemented by each store over its model tables.</summary>
public interface IRunModelReader
{
    /// <summary>
    /// Brings the model of the run (of every run behind, when null) up to every event the store acknowledged, before a
    /// read: the model is kept by a sink that may lag, reads never do.
    /// </summary>
    Task CatchUpAsync(long? runPk, CancellationToken cancellationToken);

    /// <summary>Runs that carry an application id, optionally only <paramref name="appId"/> and/or only the job <paramref name="jobName"/>.</summary>
    Task<IReadOnlyList<ModelRun>> FindRunsAsync(string? appId, string? jobName, CancellationToken cancellationToken);

    /// <summary>
    /// Runs that carry an application id (only of <paramref name="jobName"/> when given), ordered by
    /// (<see cref="RunByEnd.EndBound"/>, <see cref="RunByEnd.SortTime"/>, run key) descending, the next
    /// <paramref name="limit"/> after <paramref name="after"/> (from the first when null).
    /// </summary>
    Task<IReadOnlyList<RunByEnd>> RunsByLatestEndAsync(string? jobName, RunByEnd? after, int limit, CancellationToken cancellationToken);

    /// <summary>Of these application ids, those that more than one run carries.</summary>
    Task<IReadOnlySet<string>> SharedAppIdsAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken);

    /// <summary>Every row of a kind of each of these runs (all attempts), by run, attempt and id.</summary>
    Task<IReadOnlyList<(long RunPk, int AttemptNo, byte[] Document)>> ListOfRunsAsync(IReadOnlyCollection<long> runPks, ModelKind kind, CancellationToken cancellationToken);

    /// <summary>A row's document, or <c>null</c>.</summary>
    Task<byte[]?> ReadAsync(ModelKey key, CancellationToken cancellationToken);

    /// <summary>Whether a row exists, without reading its document.</summary>
    Task<bool> ExistsAsync(ModelKey key, CancellationToken cancellationToken);

    /// <summary>Every row of a kind, by id; with <paramref name="attemptNo"/> −1, of every attempt.</summary>
    Task<IReadOnlyList<(int AttemptNo, string Id, byte[] Document)>> ListAsync(long runPk, int attemptNo, ModelKind kind, CancellationToken cancellationToken);

    /// <summary>A page of tasks' documents, ordered and filtered in the store.</summary>
    Task<IReadOnlyList<byte[]>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The values at <paramref name="quantiles"/> (ascending) of each of <paramref name="metrics"/> (indices into
    /// <see cref="TaskQuantileMetrics.Names"/>) over the stage attempt's successful tasks, one array per metric, holding
    /// at most <paramref name="memoryBytes"/> of values at once (<see cref="TaskQuantilePlan"/>); <c>null</c> when none
    /// of its tasks succeeded.
    /// </summary>
    Task<long[][]?> TaskQuantilesAsync(long runPk, int attemptNo, int stageId, int stageAttemptId, double[] quantiles, int[] metrics, long memoryBytes,
        CancellationToken cancellationToken);

    /// <summary>
    /// Keeps rows that a read computed (<see cref="ModelKind.TaskSummary"/>), each replacing the one under its key, in one
    /// write; never a row the projector owns.
    /// </summary>
    Task WriteCachedAsync(IReadOnlyList<(ModelKey Key, byte[] Document)> rows, CancellationToken cancellationToken);
}
