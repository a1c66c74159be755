using Sparkwatch.Model;
using Sparkwatch.Model.Api;

namespace Sparkwatch.Endpoints;

/// <summary>A run as the model addresses it: its latest attempt's scope and the name /api/v1 knows it by.</summary>
/// <param name="Scope">The model scope of the latest attempt.</param>
/// <param name="AppRef">The application name in /api/v1: <c>appId~pk</c> (exactly this run, even when runs share an application id).</param>
internal sealed record RunInModel(AppScope Scope, string AppRef);

/// <summary>Finds runs in the model: a job's runs are listed once per request, then each run is resolved by its own key.</summary>
internal static class DashboardRuns
{
    /// <summary>The model's runs of a job, by run id.</summary>
    public static async Task<Dictionary<string, ModelRun>> OfJobAsync(IRunModelReader reader, string jobName, CancellationToken ct) =>
        (await reader.FindRunsAsync(null, jobName, ct)).GroupBy(r => r.RunId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The run's latest attempt, or <c>null</c> while the model has no application start for it.</summary>
    public static async Task<RunInModel?> ScopeAsync(SparkApi api, ModelRun? run, CancellationToken ct)
    {
        if (run is null) return null;
        var appRef = $"{run.AppId}~{run.RunPk}";
        return await api.ResolveAsync(appRef, null, ct) is { } scope ? new RunInModel(scope, appRef) : null;
    }

    /// <summary>The run's latest attempt, found by job and run id.</summary>
    public static async Task<RunInModel?> ScopeAsync(SparkApi api, IRunModelReader reader, string jobName, string runId, CancellationToken ct) =>
        await ScopeAsync(api, (await OfJobAsync(reader, jobName, ct)).GetValueOrDefault(runId), ct);

    /// <summary>The run's shape, found by job and run id.</summary>
    public static async Task<DashboardShape?> ShapeAsync(SparkApi api, RunInModel? scope, CancellationToken ct) =>
        scope is null ? null : await DashboardShape.ReadAsync(api, scope, ct);
}
