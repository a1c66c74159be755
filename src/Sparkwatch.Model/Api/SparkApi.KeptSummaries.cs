using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>Quantiles (ascending) of some task metrics (indices into <see cref="TaskQuantileMetrics.Names"/>), as one kept row holds them.</summary>
/// <param name="Quantiles">The quantiles, ascending.</param>
/// <param name="Metrics">The metrics.</param>
public sealed record SummaryList(double[] Quantiles, int[] Metrics);

// The kept task summaries (TaskSummaryCache): read, computed when missing or stale, and kept ahead of the first read.
public sealed partial class SparkApi
{
    /// <summary>
    /// Computes and keeps the <see cref="KeptLists"/> of each of these stage attempts of the run, exactly as a read would
    /// (same rows, same memory bound, one computation at a time), so that the first read of a finished stage finds them
    /// instead of scanning its tasks. The model sink calls it once the stages completed. A stage attempt is looked up in
    /// the run's current application attempt, then in the earlier ones (events of one apply may end an attempt and start
    /// the next): the newest attempt in which it is no longer pending or active. Rows that are current are left alone.
    /// Reads the model as it is (no catch-up). Returns the rows written.
    /// </summary>
    public async Task<int> KeepStageSummariesAsync(long runPk, IReadOnlyCollection<(int StageId, int AttemptId)> stages, CancellationToken ct)
    {
        if (await reader.ReadAsync(new ModelKey(runPk, 0, ModelKind.RunState, ""), ct) is not { } state) return 0;
        var current = Read<RunStateRow>(state).CurrentAttempt;
        var written = 0;
        foreach (var (stageId, attemptId) in stages.Distinct())
        {
            for (var attemptNo = current; attemptNo >= 1; attemptNo--)
            {
                if (await reader.ReadAsync(new ModelKey(runPk, attemptNo, ModelKind.Stage, RunScope.StageKey(stageId, attemptId)), ct) is not { } doc) continue;
                var stage = Read<StageRow>(doc);
                if (!IsFinished(stage)) continue;
                written += (await KeptDistributions(runPk, attemptNo, stage, KeptLists, ct)).Written;
                break;
            }
        }
        return written;
    }

    /// <summary>
    /// <see cref="KeepStageSummariesAsync"/> for every finished stage attempt of every application attempt of the run,
    /// e.g. after <c>sparkwatch rebuild</c> dropped its kept rows with the rest of its model. Returns the rows written.
    /// </summary>
    public async Task<int> KeepRunSummariesAsync(long runPk, CancellationToken ct)
    {
        var written = 0;
        foreach (var (attemptNo, _, doc) in await reader.ListAsync(runPk, -1, ModelKind.Stage, ct))
        {
            var stage = Read<StageRow>(doc);
            if (IsFinished(stage)) written += (await KeptDistributions(runPk, attemptNo, stage, KeptLists, ct)).Written;
        }
        return written;
    }

    // Completed, failed or skipped: a stage still pending or active has tasks to come.
    private static bool IsFinished(StageRow stage) => stage.Status is not ("PENDING" or "ACTIVE");

    /// <summary>
    /// The values of each list for the stage, from its kept row when that is current (written at the stage's count of
    /// successful tasks), else computed and kept. The lists missing are computed together, in one computation of the union
    /// of their quantiles and metrics: Spark's position of a quantile depends only on the quantile and the count, so each
    /// list's values are picked from the union's unchanged.
    /// </summary>
    private async Task<(long[][]?[] Values, int Written)> KeptDistributions(long runPk, int attemptNo, StageRow stage, IReadOnlyList<SummaryList> lists, CancellationToken ct)
    {
        var keys = lists.Select(l => TaskSummaryCache.Key(runPk, attemptNo, stage.StageId, stage.AttemptId, l.Quantiles, l.Metrics)).ToArray();
        var values = new long[][]?[lists.Count];
        var missing = new List<int>();
        for (var i = 0; i < lists.Count; i++)
        {
            if (TaskSummaryCache.TryDecode(await reader.ReadAsync(keys[i], ct), stage.CompletedTasks, out var kept)) values[i] = kept;
            else missing.Add(i);
        }
        if (missing.Count == 0) return (values, 0);
        var quantiles = missing.SelectMany(i => lists[i].Quantiles).Distinct().Order().ToArray();
        var metrics = missing.SelectMany(i => lists[i].Metrics).Distinct().Order().ToArray();
        // Counted with the stage row read before: a task that succeeds meanwhile makes the rows stale at once (safe).
        var union = await ComputeDistributions(runPk, attemptNo, stage.StageId, stage.AttemptId, quantiles, metrics, ct);
        foreach (var i in missing) values[i] = union is null ? null : Pick(union, quantiles, metrics, lists[i]);
        await reader.WriteCachedAsync([.. missing.Select(i => (keys[i], TaskSummaryCache.Encode(stage.CompletedTasks, values[i])))], ct);
        return (values, missing.Count);
    }

    // One list's values out of the values of a union of lists (its quantiles and metrics, each sorted and distinct).
    private static long[][] Pick(long[][] union, double[] quantiles, int[] metrics, SummaryList list) =>
        [.. list.Metrics.Select(m => union[Array.IndexOf(metrics, m)]).Select(row => list.Quantiles.Select(q => row[Array.IndexOf(quantiles, q)]).ToArray())];
}
