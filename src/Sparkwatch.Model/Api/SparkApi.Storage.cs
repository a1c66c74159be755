using System.Globalization;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

// RDD storage, miscellaneous processes and one application attempt.
public sealed partial class SparkApi
{
    /// <summary><c>storage/rdd</c>: the persisted RDDs that have cached partitions, by id.</summary>
    public async Task<byte[]> RddsAsync(AppScope scope, CancellationToken ct)
    {
        var rdds = (await List<RddRow>(scope, ModelKind.Rdd, ct)).Where(r => r.Live).OrderBy(r => r.Id).ToList();
        var partitions = rdds.Count == 0 ? [] : await List<RddPartitionRow>(scope, ModelKind.RddPartition, ct);
        var executors = await Executors(scope, ct);
        var cached = rdds.Select(r => (Rdd: r, Partitions: RddView.Partitions(r, partitions, executors))).Where(r => r.Partitions.Count > 0).ToList();
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var (rdd, visible) in cached) SparkStorageJson.Rdd(w, rdd, visible, executors);
            w.WriteEndArray();
        });
    }

    /// <summary><c>storage/rdd/{id}</c>: a persisted RDD, cached or not; <c>null</c> when unknown or unpersisted.</summary>
    public async Task<byte[]?> RddAsync(AppScope scope, int rddId, CancellationToken ct)
    {
        if (await Find<RddRow>(scope, ModelKind.Rdd, rddId.ToString(CultureInfo.InvariantCulture), ct) is not { Live: true } rdd) return null;
        var partitions = await List<RddPartitionRow>(scope, ModelKind.RddPartition, ct);
        var executors = await Executors(scope, ct);
        return Json(w => SparkStorageJson.Rdd(w, rdd, RddView.Partitions(rdd, partitions, executors), executors));
    }

    /// <summary><c>allmiscellaneousprocess</c>, by process id.</summary>
    public async Task<byte[]> MiscProcessesAsync(AppScope scope, CancellationToken ct)
    {
        var processes = (await List<MiscProcessRow>(scope, ModelKind.MiscProcess, ct)).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var p in processes) SparkStorageJson.MiscProcess(w, p);
            w.WriteEndArray();
        });
    }

    /// <summary><c>applications/{app}/{attempt}</c>: the attempt alone (Spark's ApplicationAttemptInfo).</summary>
    public async Task<byte[]?> AttemptAsync(AppScope scope, CancellationToken ct) =>
        await Find<AttemptRow>(scope, ModelKind.Attempt, "", ct) is { } attempt ? Json(w => Attempt(w, attempt)) : null;
}
