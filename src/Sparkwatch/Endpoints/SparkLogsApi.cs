using System.IO.Compression;
using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Model.Api;
using Sparkwatch.Archive.Retention;
using Sparkwatch.Retention;
using static Sparkwatch.Endpoints.SparkApiResults;

namespace Sparkwatch.Endpoints;

/// <summary>Spark History Server API: an application's event log as a zip, as the History Server serves it.</summary>
public static class SparkLogsApi
{
    /// <summary>Maps <c>logs</c> under both application prefixes.</summary>
    public static IEndpointRouteBuilder MapSparkLogsApi(this IEndpointRouteBuilder app)
    {
        foreach (var (prefix, i) in AppPrefixes.Select((p, i) => (p, i)))
        {
            app.MapGroup(prefix).WithTags("Spark History Server API").ProducesProblem(StatusCodes.Status404NotFound)
                .MapGet("/logs", GetLogs).WithName($"SparkLogs{i}").WithSummary("The run's events as a zipped Spark event log").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetLogs(SparkApi api, RunEventReader events, string app, HttpContext context, CancellationToken ct)
    {
        var (scope, problem) = await ScopeAsync(api, app, context, ct);
        if (scope is null) return problem!;
        var run = new RunKey(scope.Run.JobName, scope.Run.RunId);
        var (log, reason) = await events.CheckAsync(run, ct);
        if (reason is not null) return Problems.ArchiveUnavailable(reason);
        var entryName = scope.AttemptId is null ? scope.Run.AppId : $"{scope.Run.AppId}_{scope.AttemptId}";
        // The zip is written to a temporary file (deleted on close) so the run is never held in memory; the archive
        // API writes synchronously, which the response body does not allow.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            await using var entry = zip.CreateEntry(entryName, CompressionLevel.Fastest).Open();
            await foreach (var line in events.ReadAsync(run, log, null, ct))
            {
                await entry.WriteAsync(line, ct);
                entry.WriteByte((byte)'\n');
            }
        }
        catch (Exception e)
        {
            // Whatever stopped the zip (a corrupt archived part, the client gone), the temporary file goes now, not at the next GC.
            await file.DisposeAsync();
            // The zip is built before the answer, so an archived part that turns out corrupt is still a problem, not a cut file.
            if (e is ArchiveUnreadableException unreadable) return Problems.ArchiveUnavailable(unreadable.Message);
            throw;
        }
        file.Position = 0;
        return TypedResults.File(file, "application/octet-stream", $"eventLogs-{entryName}.zip");
    }
}
