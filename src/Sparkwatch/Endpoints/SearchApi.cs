using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Model.Api;
using Sparkwatch.Storage.Search;

namespace Sparkwatch.Endpoints;

/// <summary><c>GET /search</c>: full-text search across runs (failure reasons, stack traces, names, users, configuration).</summary>
public static class SearchApi
{
    /// <summary>Hits per page when <c>limit</c> is not given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Most hits per page.</summary>
    public const int MaxLimit = 500;

    /// <summary>Longest query accepted.</summary>
    public const int MaxQueryLength = 1000;

    /// <summary>Maps <c>GET /search</c>.</summary>
    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/search").WithTags("Search");
        group.MapGet("", Search)
            .WithName("Search")
            .WithSummary("Search every run's failure reasons, stack traces, names, users and configuration; best hits first")
            .WithDescription("Words are ANDed, case-insensitively; \"quoted words\" and words holding punctuation (java.lang.OutOfMemoryError) are phrases; "
                + "a trailing * makes the last token a prefix; a compound word also matches its parts (OutOfMemory finds OutOfMemoryError). "
                + "Nothing else is an operator. Each hit links to its run's events of its type.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search(
        ISearchIndex index,
        [Description("What to look for (see the description for the query language).")] string? q,
        [Description("Only hits of this job.")] string? job,
        [Description("Only events at or after this time: epoch ms, yyyy-MM-dd or yyyy-MM-dd'T'HH:mm:ss.SSSz (ISO-8601 with an offset or Z).")] string? from,
        [Description("Only events at or before this time (same forms as from).")] string? to,
        [Description("Only events of this type (the event's \"Event\" field).")] string? type,
        [Description(ApiText.Cursor)] string? cursor,
        [Description("Hits per page (default 50, at most 500).")] int? limit,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q)) return Problems.InvalidQuery("'q' is required: the words to search for, e.g. q=OutOfMemoryError.");
        if (q.Length > MaxQueryLength) return Problems.InvalidQuery($"'q' is {q.Length} characters long; at most {MaxQueryLength} are accepted.");
        if (!TryTime(from, out var fromMs)) return Problems.InvalidQuery($"'from' must be epoch milliseconds or an ISO-8601 date or time; got '{from}'.");
        if (!TryTime(to, out var toMs)) return Problems.InvalidQuery($"'to' must be epoch milliseconds or an ISO-8601 date or time; got '{to}'.");
        if (!TryPosition(cursor, out var after)) return Problems.InvalidQuery($"cursor '{cursor}' is not a cursor this API returned.");
        var pageSize = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        var terms = SearchTerms.Parse(q);
        var hits = await index.SearchAsync(new SearchQuery(terms, job, fromMs, toMs, string.IsNullOrEmpty(type) ? null : type, pageSize, after), cancellationToken);
        var next = hits.Count == pageSize ? CursorOf(hits[^1].Position) : null;
        return TypedResults.Ok(new SearchResponse([.. hits.Select(SearchHitItem.From)], next));
    }

    private static bool TryTime(string? text, out long? epochMs)
    {
        epochMs = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (SparkDates.TryParse(text, out var ms))
        {
            epochMs = ms;
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        epochMs = parsed.ToUnixTimeMilliseconds();
        return true;
    }

    private static string CursorOf(SearchPosition position) =>
        Cursors.Encode(string.Join(':', position.Score.ToString("R", CultureInfo.InvariantCulture), position.RunPk, position.Seq, position.Field));

    private static bool TryPosition(string? cursor, out SearchPosition? position)
    {
        position = null;
        if (!Cursors.TryDecode(cursor, out var key)) return false;
        if (key is null) return true;
        var parts = key.Split(':', 4);
        if (parts.Length != 4
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score)
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var runPk)
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seq)
            || parts[3].Contains('\0'))
        {
            return false;
        }
        position = new SearchPosition(score, runPk, seq, parts[3]);
        return true;
    }
}

/// <summary>A page of search hits, best first.</summary>
/// <param name="Hits">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; <c>null</c> on the last page.</param>
public sealed record SearchResponse(IReadOnlyList<SearchHitItem> Hits, string? NextCursor);

/// <summary>One hit: an event field that matched.</summary>
/// <param name="JobName">The run's job.</param>
/// <param name="RunId">The run.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="GeneratedAt">The event's time (epoch ms).</param>
/// <param name="Seq">The event's seq in the run.</param>
/// <param name="Field">The event's field that matched (<c>Full Stack Trace</c>, <c>Removed Reason</c>, <c>Spark Properties</c>…).</param>
/// <param name="Snippet">The best part of the field's text, HTML-escaped, matches in <c>&lt;mark&gt;</c>, cuts marked <c>…</c>.</param>
/// <param name="Link">The run's events of this type (<c>/job/{job_name}/{run_id}/events?type=…</c>).</param>
public sealed record SearchHitItem(string JobName, string RunId, string EventType, long GeneratedAt, long Seq, string Field, string Snippet, string Link)
{
    /// <summary>The item of a hit.</summary>
    public static SearchHitItem From(SearchHit hit) => new(hit.JobName, hit.RunId, hit.EventType, hit.GeneratedAt, hit.Position.Seq, hit.Field, hit.Snippet,
        $"/job/{PathNames.Escape(hit.JobName)}/{PathNames.Escape(hit.RunId)}/events?type={Uri.EscapeDataString(hit.EventType)}");
}
