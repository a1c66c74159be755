using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;

namespace Sparkwatch.Endpoints;

/// <summary>
/// Looks at the request target as the client sent it, before routing: a target over the line limit gets 414 with a
/// problem body, and <c>.</c>/<c>..</c> segments — which the server removes from the path before routing — are either
/// job and run names (routed as sent, read back by <see cref="PathNames"/>) or refused, so a request never reaches
/// another run than the one its raw path names.
/// </summary>
public sealed class RawTargetGuard(RequestDelegate next, IOptions<SparkwatchOptions> options)
{
    // Percent-encoded, a character costs at most 9 bytes (3 UTF-8 bytes of a BMP character, each as %XX; a pair of
    // surrogates is 4 bytes, 12 encoded, for 2 characters). Room is left for the rest of the line and a query.
    private const int BytesPerNameCharacter = 9;
    private const int LineBytesBesideNames = 2048;

    /// <summary>
    /// The request-line limit in force: <c>Limits:MaxRequestLineBytes</c>, raised when needed so that a path holding two
    /// names of <c>Limits:MaxNameLength</c> characters fits — every name accepted at ingest can be read back.
    /// </summary>
    public static int LineLimit(LimitOptions limits) =>
        (int)Math.Min(int.MaxValue / 2, Math.Max(limits.MaxRequestLineBytes, 2L * BytesPerNameCharacter * limits.MaxNameLength + LineBytesBesideNames));

    /// <summary>Checks the raw target, then passes the request on.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/') return next(context);
        var limit = LineLimit(options.Value.Limits);
        if (rawTarget.Length > limit)
        {
            return Problems.Of(StatusCodes.Status414UriTooLong, ProblemTypes.RequestLineTooLong, "Request line too long",
                $"The request target is {rawTarget.Length} bytes, over the {limit} allowed (Sparkwatch:Limits:MaxRequestLineBytes, raised to fit two names of Sparkwatch:Limits:MaxNameLength characters).")
                .ExecuteAsync(context);
        }
        var query = rawTarget.IndexOf('?');
        var rawPath = query < 0 ? rawTarget : rawTarget[..query];
        var dotSegments = DotSegmentPositions(rawPath);
        if (dotSegments.Count == 0) return next(context);
        if (rawPath.StartsWith("/job/", StringComparison.Ordinal) && dotSegments.All(i => i is 1 or 2))
        {
            // Route on the path as sent; the handlers read the names from the raw target, not from route values.
            context.Request.Path = new PathString(rawPath);
            return next(context);
        }
        return Problems.Of(StatusCodes.Status400BadRequest, ProblemTypes.BadRequest, "Dot segments in the path",
            $"The path '{rawPath}' has '.' or '..' segments outside the job and run names; the server would remove them and answer for another path than the one sent. A job or run named '.' or '..' is written %2E or %2E%2E in /job/{{job_name}}/{{run_id}}.")
            .ExecuteAsync(context);
    }

    /// <summary>Positions (0 = first segment after the leading slash) of segments that decode to <c>.</c> or <c>..</c>.</summary>
    private static List<int> DotSegmentPositions(string rawPath)
    {
        var positions = new List<int>();
        if (!rawPath.Contains('.') && !rawPath.Contains("%2e", StringComparison.OrdinalIgnoreCase)) return positions;
        var segments = rawPath[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (Uri.UnescapeDataString(segments[i]) is "." or "..") positions.Add(i);
        }
        return positions;
    }
}
