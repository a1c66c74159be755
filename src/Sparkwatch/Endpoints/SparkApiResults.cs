using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;

namespace Sparkwatch.Endpoints;

/// <summary>What the /api/v1 areas share: Spark's JSON as the answer, 404s and 400s as problems, the attempt resolved.</summary>
public static class SparkApiResults
{
    /// <summary>Problem type of a Spark API entity (application, attempt, job, stage, task summary) that does not exist.</summary>
    public const string NotFoundType = "urn:sparkwatch:problem:spark-api-not-found";

    /// <summary>The two prefixes every per-application endpoint lives under: without and with Spark's attempt id.</summary>
    internal static readonly string[] AppPrefixes = ["/api/v1/applications/{app}", "/api/v1/applications/{app}/{attempt}"];

    /// <summary>The JSON as <c>application/json</c>, or a 404 naming what was not found.</summary>
    internal static Results<FileContentHttpResult, ProblemHttpResult> JsonOr404(byte[]? json, string what) =>
        json is null ? NotFound(what) : TypedResults.File(json, "application/json");

    internal static ProblemHttpResult NotFound(string what) =>
        Problems.Of(StatusCodes.Status404NotFound, NotFoundType, "Not found", $"{what} not found. GET /api/v1/applications lists the applications and their attempts.");

    /// <summary>Resolves the application and attempt of the route, or a 404.</summary>
    internal static async Task<(AppScope? Scope, ProblemHttpResult? Problem)> ScopeAsync(SparkApi api, string app, HttpContext context, CancellationToken ct)
    {
        // Only the second prefix has the attempt segment, so it is read from the route values rather than bound.
        var attempt = context.GetRouteValue("attempt") as string;
        var scope = await api.ResolveAsync(app, attempt, ct);
        return scope is null ? (null, NotFound(attempt is null ? $"Application '{app}'" : $"Application '{app}' attempt '{attempt}'")) : (scope, null);
    }

    /// <summary>Resolves the route's application and attempt, then answers with <paramref name="read"/>'s JSON or a 404 naming <paramref name="what"/>.</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> InScopeAsync(
        SparkApi api, string app, HttpContext context, Func<AppScope, Task<byte[]?>> read, string what, CancellationToken ct)
    {
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        return scope is null ? problem! : JsonOr404(await read(scope), what);
    }

    /// <summary>Parses repeated or comma-separated enum values case-insensitively into Spark's upper-case spelling.</summary>
    internal static bool TryStatuses(string[]? values, string[] allowed, string parameter, out string[] statuses, out ProblemHttpResult? problem)
    {
        statuses = [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(v => v.ToUpperInvariant())];
        var bad = statuses.FirstOrDefault(s => !allowed.Contains(s));
        problem = bad is null ? null : Problems.InvalidQuery($"'{parameter}' must be one of {string.Join(", ", allowed.Select(a => a.ToLowerInvariant()))}; got '{bad.ToLowerInvariant()}'.");
        return problem is null;
    }

    /// <summary>Parses Spark's <c>quantiles</c> parameter (comma-separated numbers in [0, 1]), ascending.</summary>
    internal static bool TryQuantiles(string? text, double[] fallback, out double[] quantiles, out ProblemHttpResult? problem)
    {
        quantiles = fallback;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var parsed = parts.Select(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) && q is >= 0 and <= 1 ? q : double.NaN).ToArray();
        if (parsed.Any(double.IsNaN))
        {
            problem = Problems.InvalidQuery($"'quantiles' must be comma-separated numbers between 0 and 1; got '{text}'.");
            return false;
        }
        // Spark sorts the quantiles before computing them (taskSummary and withSummaries alike) and answers them sorted.
        quantiles = [.. parsed.Order()];
        return true;
    }
}
