using System.ComponentModel;
using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Archive.Retention;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Runs;
using Sparkwatch.Retention;
using static Sparkwatch.Endpoints.JobsApi;

namespace Sparkwatch.Endpoints;

/// <summary>One run: its facts, its events, its duration and its quarantined messages.</summary>
public static class RunsApi
{
    /// <summary>Maps the per-run endpoints.</summary>
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/job/{job_name}/{run_id}").WithTags("Runs").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("", GetRun)
            .WithName("GetRun")
            .WithSummary("A run's status, timings and counts");
        group.MapGet("/events", GetEvents)
            .WithName("GetEvents")
            .WithSummary("Stream a run's events as NDJSON, sorted by generated_at then seq")
            .WithDescription("Each line is the event's own JSON exactly as received (secrets redacted), so the output is a valid Spark event log. `type` filters by event type and may repeat. Honours Accept-Encoding: gzip.")
            .Produces(StatusCodes.Status200OK, contentType: NdjsonEventsResult.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/duration", GetDuration)
            .WithName("GetDuration")
            .WithSummary("How long the run took: application end − application start, per attempt");
        group.MapGet("/quarantine", GetQuarantine)
            .WithName("GetQuarantine")
            .WithSummary("Messages of the run that were kept aside because their content is not a valid Spark event")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Results<Ok<RunItem>, ProblemHttpResult>> GetRun(
        HttpContext context, [Description(ApiText.JobName)] string job_name, [Description(ApiText.RunId)] string run_id, [AsParameters] ReadServices services, CancellationToken cancellationToken)
    {
        var (facts, problem) = await FindRunAsync(context, job_name, run_id, services, cancellationToken);
        return facts is null ? problem! : TypedResults.Ok(RunItem.From(facts, services.DurationOf(facts)));
    }

    private static async Task<Results<NdjsonEventsResult, ProblemHttpResult>> GetEvents(
        HttpContext context, [Description(ApiText.JobName)] string job_name, [Description(ApiText.RunId)] string run_id, [AsParameters] ReadServices services, RunEventReader events, [Description("Only events of these types (the event's \"Event\" field); repeat the parameter or separate with commas.")] string[]? type, CancellationToken cancellationToken)
    {
        var (facts, problem) = await FindRunAsync(context, job_name, run_id, services, cancellationToken);
        if (facts is null) return problem!;
        var types = type is { Length: > 0 } ? type.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray() : null;
        // No event type holds a NUL (ingest refuses it), and PostgreSQL cannot take one in a text parameter.
        if (types?.FirstOrDefault(t => t.Contains('\0')) is { } nul) return Problems.InvalidQuery($"type '{nul.Replace("\0", "\\u0000")}' contains a NUL character (\\u0000), which no event type holds.");
        var run = new RunKey(facts.JobName, facts.RunId);
        // Checked before the 200: a run whose archived events cannot be read answers a problem, not a cut stream.
        var (log, reason) = await events.CheckAsync(run, cancellationToken);
        if (reason is not null) return Problems.ArchiveUnavailable(reason);
        return new NdjsonEventsResult(events.ReadAsync(run, log, types, cancellationToken));
    }

    private static async Task<Results<Ok<DurationResponse>, ProblemHttpResult>> GetDuration(
        HttpContext context, [Description(ApiText.JobName)] string job_name, [Description(ApiText.RunId)] string run_id, [AsParameters] ReadServices services, CancellationToken cancellationToken)
    {
        var (facts, problem) = await FindRunAsync(context, job_name, run_id, services, cancellationToken);
        if (facts is null) return problem!;
        var d = services.DurationOf(facts);
        return TypedResults.Ok(new DurationResponse(facts.JobName, facts.RunId, d.Status, d.StartTime, d.EndTime, d.DurationMs, d.EndsBeforeStart,
            [.. d.Attempts.Select(a => new AttemptItem(a.AttemptId, a.Status, a.StartTime, a.EndTime, a.DurationMs, a.EndsBeforeStart))]));
    }

    private static async Task<Results<Ok<QuarantineResponse>, ProblemHttpResult>> GetQuarantine(
        HttpContext context, [Description(ApiText.JobName)] string job_name, [Description(ApiText.RunId)] string run_id, [AsParameters] ReadServices services, [Description(ApiText.Cursor)] string? cursor, [Description(ApiText.Limit)] int? limit, CancellationToken cancellationToken)
    {
        var (facts, problem) = await FindRunAsync(context, job_name, run_id, services, cancellationToken);
        if (facts is null) return problem!;
        if (!Cursors.TryDecode(cursor, out var afterText) || (afterText is not null && !long.TryParse(afterText, out _)))
        {
            return Problems.InvalidQuery($"cursor '{cursor}' is not a cursor this API returned.");
        }
        var pageSize = Cursors.PageSize(limit, services.Options.Value.Limits);
        var messages = await services.Store.ListQuarantineAsync(new RunKey(facts.JobName, facts.RunId), afterText is null ? 0 : long.Parse(afterText), pageSize, cancellationToken);
        var next = messages.Count == pageSize ? Cursors.Encode(messages[^1].Seq.ToString()) : null;
        return TypedResults.Ok(new QuarantineResponse(facts.JobName, facts.RunId,
            [.. messages.Select(m => new QuarantinedItem(m.Seq, m.GeneratedAt, m.ReceivedAt, m.Reason, Encoding.UTF8.GetString(m.Content)))], next));
    }

    private static async Task<(RunFacts? Facts, ProblemHttpResult? Problem)> FindRunAsync(
        HttpContext context, string jobRouteValue, string runRouteValue, ReadServices services, CancellationToken cancellationToken)
    {
        var run = new RunKey(PathNames.JobName(context, jobRouteValue), PathNames.RunId(context, runRouteValue));
        var facts = await services.Store.GetRunAsync(run, cancellationToken);
        if (facts is not null) return (facts, null);
        var jobExists = await services.Store.ListRunsAsync(run.JobName, null, 1, cancellationToken) is not null;
        return (null, jobExists ? Problems.UnknownRun(run.JobName, run.RunId) : Problems.UnknownJob(run.JobName));
    }
}

/// <summary>Streams events to the response as NDJSON, one event and a line feed each, in chunks flushed as they fill.</summary>
public sealed class NdjsonEventsResult(IAsyncEnumerable<ReadOnlyMemory<byte>> events) : IResult
{
    /// <summary>The media type of the stream.</summary>
    public const string ContentType = "application/x-ndjson";

    private const int ChunkBytes = 64 * 1024;

    /// <inheritdoc/>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = ContentType;
        var writer = httpContext.Response.BodyWriter;
        var aborted = httpContext.RequestAborted;
        // Events are gathered into a chunk of their own before they reach the response pipe: Kestrel takes its output
        // lock on every write, and two writes per event (the event, then its line feed) spun on that lock against the
        // socket sender (8.7 % of the CPU serving small runs, docs/benchmarks.md).
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var used = 0;
        try
        {
            await foreach (var json in events)
            {
                if (used + json.Length + 1 > chunk.Length)
                {
                    await writer.WriteAsync(chunk.AsMemory(0, used), aborted);
                    used = 0;
                }
                if (json.Length + 1 > chunk.Length)
                {
                    // An event larger than a chunk goes to the pipe as it is; the next chunk's write flushes it.
                    writer.Write(json.Span);
                    writer.Write("\n"u8);
                    continue;
                }
                json.Span.CopyTo(chunk.AsSpan(used));
                used += json.Length;
                chunk[used++] = (byte)'\n';
            }
            await writer.WriteAsync(chunk.AsMemory(0, used), aborted);
        }
        catch (ArchiveUnreadableException e) when (!httpContext.Response.HasStarted)
        {
            // The first chunk already failed: nothing is sent, so the client gets the problem. Once the stream has started
            // the error goes on up and the server cuts the connection: a short stream never ends as if it were whole.
            await Problems.ArchiveUnavailable(e.Message).ExecuteAsync(httpContext);
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
