using Microsoft.AspNetCore.Http.HttpResults;

namespace Sparkwatch.Endpoints;

/// <summary>The problem types (RFC 9457) Sparkwatch answers with; each is described in docs/api.md.</summary>
public static class ProblemTypes
{
    /// <summary>The body cannot be decoded as a payload of the client.</summary>
    public const string InvalidPayload = "urn:sparkwatch:problem:invalid-payload";
    /// <summary>The body, or its inflated form, is over a configured limit.</summary>
    public const string PayloadTooLarge = "urn:sparkwatch:problem:payload-too-large";
    /// <summary>No job of that name.</summary>
    public const string UnknownJob = "urn:sparkwatch:problem:unknown-job";
    /// <summary>The job exists but has no run of that id.</summary>
    public const string UnknownRun = "urn:sparkwatch:problem:unknown-run";
    /// <summary>The request breaks HTTP framing (chunked encoding, body shorter than Content-Length) or its body came too slowly.</summary>
    public const string BadRequest = "urn:sparkwatch:problem:bad-request";
    /// <summary>The request line is over the configured limit.</summary>
    public const string RequestLineTooLong = "urn:sparkwatch:problem:request-line-too-long";
    /// <summary>A query parameter is malformed.</summary>
    public const string InvalidQuery = "urn:sparkwatch:problem:invalid-query";
    /// <summary>The <c>X-API-key</c> header is missing or not one of the configured keys.</summary>
    public const string InvalidApiKey = "urn:sparkwatch:problem:invalid-api-key";
    /// <summary>Too many payload bytes are in flight; the client should retry shortly.</summary>
    public const string ServerBusy = "urn:sparkwatch:problem:server-busy";
    /// <summary>The store could not take the payload; the client should retry.</summary>
    public const string StoreUnavailable = "urn:sparkwatch:problem:store-unavailable";
    /// <summary>JetStream could not take the payload (unreachable, or no acknowledgement in time); the client should retry.</summary>
    public const string BrokerUnavailable = "urn:sparkwatch:problem:broker-unavailable";
    /// <summary>The run's events are in the archive only (retention), and the archive cannot give them.</summary>
    public const string ArchiveUnavailable = "urn:sparkwatch:problem:archive-unavailable";
}

/// <summary>Builds problem results with a type, a title and a detail a person can act on.</summary>
public static class Problems
{
    /// <summary>A problem of <paramref name="type"/> with status <paramref name="status"/>.</summary>
    public static ProblemHttpResult Of(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);

    /// <summary>404 for a job that does not exist.</summary>
    public static ProblemHttpResult UnknownJob(string jobName) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownJob, "Unknown job", $"No job named '{jobName}' has sent any events. GET /job lists the jobs.");

    /// <summary>404 for a run that does not exist in an existing job.</summary>
    public static ProblemHttpResult UnknownRun(string jobName, string runId) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.UnknownRun, "Unknown run", $"Job '{jobName}' has no run '{runId}'. GET /job/{{job_name}} lists its runs.");

    /// <summary>503 for a run whose events retention left in the archive only, when the archive cannot give them.</summary>
    public static ProblemHttpResult ArchiveUnavailable(string reason) =>
        Of(StatusCodes.Status503ServiceUnavailable, ProblemTypes.ArchiveUnavailable, "Archive unavailable",
            $"This run's events are served from the run archive (Sparkwatch:Retention), which cannot give them: {reason} Check Sparkwatch:Archive and the archive's objects.");

    /// <summary>400 for a malformed query parameter.</summary>
    public static ProblemHttpResult InvalidQuery(string detail) =>
        Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query parameter", detail);
}
