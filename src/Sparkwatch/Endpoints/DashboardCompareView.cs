using System.Text.Json;
using Sparkwatch.Model.Api;
using static Sparkwatch.Endpoints.JobsApi;

namespace Sparkwatch.Endpoints;

/// <summary>One stage id in two runs: each run's duration and task time for it (<c>null</c> where a run has no such stage).</summary>
internal sealed record StagePair(int Id, string Name, long? ADurationMs, long? BDurationMs, long? ATaskMs, long? BTaskMs);

/// <summary>A Spark property that differs between two runs (values as stored, so redacted where Spark redacts).</summary>
internal sealed record ConfigDifference(string Key, string? A, string? B);

/// <summary>Two runs of a job side by side.</summary>
internal sealed record CompareView(RunItem A, RunItem B, IReadOnlyList<StagePair> Stages, IReadOnlyList<ConfigDifference> Config);

/// <summary>Builds the comparison of two runs: durations, stages by id, configuration diff.</summary>
internal static class DashboardCompareView
{
    public static async Task<CompareView?> BuildAsync(ReadServices services, SparkApi api, string jobName, string a, string b, CancellationToken ct)
    {
        var factsA = await services.Store.GetRunAsync(new Core.Ingest.RunKey(jobName, a), ct);
        var factsB = await services.Store.GetRunAsync(new Core.Ingest.RunKey(jobName, b), ct);
        if (factsA is null || factsB is null) return null;
        var runs = await DashboardRuns.OfJobAsync((Model.IRunModelReader)services.Store, jobName, ct);
        var scopeA = await DashboardRuns.ScopeAsync(api, runs.GetValueOrDefault(a), ct);
        var scopeB = await DashboardRuns.ScopeAsync(api, runs.GetValueOrDefault(b), ct);
        var stagesA = await StagesAsync(api, scopeA, ct);
        var stagesB = await StagesAsync(api, scopeB, ct);
        var pairs = stagesA.Keys.Union(stagesB.Keys).Order().Select(id =>
        {
            var x = stagesA.GetValueOrDefault(id);
            var y = stagesB.GetValueOrDefault(id);
            return new StagePair(id, x?.Name ?? y?.Name ?? "", x?.DurationMs, y?.DurationMs, x?.TaskMs, y?.TaskMs);
        });
        var configA = await ConfigAsync(api, scopeA, ct);
        var configB = await ConfigAsync(api, scopeB, ct);
        var diff = configA.Keys.Union(configB.Keys).Order(StringComparer.Ordinal)
            .Select(k => new ConfigDifference(k, configA.GetValueOrDefault(k), configB.GetValueOrDefault(k)))
            .Where(d => d.A != d.B);
        return new CompareView(RunItem.From(factsA, services.DurationOf(factsA)), RunItem.From(factsB, services.DurationOf(factsB)), [.. pairs], [.. diff]);
    }

    private sealed record StageTimes(string Name, long? DurationMs, long TaskMs);

    /// <summary>Per stage id, the latest attempt's duration and task time.</summary>
    private static async Task<Dictionary<int, StageTimes>> StagesAsync(SparkApi api, RunInModel? scope, CancellationToken ct)
    {
        var shape = await DashboardRuns.ShapeAsync(api, scope, ct);
        if (shape is null) return [];
        var (_, to) = DashboardRunView.Range(shape);
        return shape.Stages.GroupBy(s => s.Id).ToDictionary(g => g.Key, g =>
        {
            var s = g.MaxBy(x => x.Attempt)!;
            return new StageTimes(s.Name, s.Span(to) is { } span ? span.To - span.From : null, s.RunTime);
        });
    }

    /// <summary>The run's Spark properties from its (redacted) environment.</summary>
    private static async Task<Dictionary<string, string>> ConfigAsync(SparkApi api, RunInModel? scope, CancellationToken ct)
    {
        if (scope is null || await api.EnvironmentAsync(scope.Scope, ct) is not { } json) return [];
        using var doc = JsonDocument.Parse(json);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!doc.RootElement.TryGetProperty("sparkProperties", out var list)) return properties;
        foreach (var pair in list.EnumerateArray())
        {
            if (pair.GetArrayLength() == 2) properties[pair[0].GetString() ?? ""] = pair[1].GetString() ?? "";
        }
        return properties;
    }
}
