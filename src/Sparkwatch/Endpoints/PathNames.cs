using Microsoft.AspNetCore.Http.Features;

namespace Sparkwatch.Endpoints;

/// <summary>
/// Job and run names taken from the request's raw path, percent-decoded once per segment. The server's own
/// decoding keeps <c>%2F</c> but turns <c>%25</c> into <c>%</c>, which makes <c>%252F</c> and <c>%2F</c> look
/// alike; decoding the raw segment ourselves keeps every name exact.
/// </summary>
public static class PathNames
{
    /// <summary>The decoded segment at <paramref name="index"/> (0 = first segment after the leading slash), or <paramref name="fallback"/>.</summary>
    public static string Segment(HttpContext context, int index, string fallback)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/') return fallback;
        var path = rawTarget.AsSpan();
        var queryStart = path.IndexOf('?');
        if (queryStart >= 0) path = path[..queryStart];
        var segments = path[1..].ToString().Split('/');
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : fallback;
    }

    /// <summary>The job name of a <c>/job/{job_name}/…</c> route.</summary>
    public static string JobName(HttpContext context, string routeValue) => Segment(context, 1, routeValue);

    /// <summary>The run id of a <c>/job/{job_name}/{run_id}/…</c> route.</summary>
    public static string RunId(HttpContext context, string routeValue) => Segment(context, 2, routeValue);

    /// <summary>A name as one path segment: percent-encoded, with <c>.</c> and <c>..</c> written <c>%2E</c> so no client removes them as dot segments.</summary>
    public static string Escape(string name) => name switch
    {
        "." => "%2E",
        ".." => "%2E%2E",
        _ => Uri.EscapeDataString(name),
    };
}
