namespace Sparkwatch.Endpoints;

/// <summary>Descriptions shared by several parameters of the API description.</summary>
public static class ApiText
{
    /// <summary>The job name parameter.</summary>
    public const string JobName = "The job name, percent-encoded as one path segment (a '/' in the name is %2F).";
    /// <summary>The run id parameter.</summary>
    public const string RunId = "The run id, percent-encoded as one path segment.";
    /// <summary>The page cursor parameter.</summary>
    public const string Cursor = "The next_cursor of the previous page; omit for the first page.";
    /// <summary>The page size parameter.</summary>
    public const string Limit = "Items per page (default Sparkwatch:Limits:DefaultPageSize, at most Sparkwatch:Limits:MaxPageSize).";

    /// <summary>The problem types, for the document's description.</summary>
    public const string ProblemTypesDescription = """
        Errors are RFC 9457 problem details (application/problem+json) whose `type` is one of:
        `urn:sparkwatch:problem:invalid-payload` (400, the body cannot be decoded; `detail` says where),
        `urn:sparkwatch:problem:payload-too-large` (413, body or inflated body over a limit; `detail` names the setting),
        `urn:sparkwatch:problem:invalid-api-key` (401), `urn:sparkwatch:problem:unknown-job` (404),
        `urn:sparkwatch:problem:unknown-run` (404), `urn:sparkwatch:problem:invalid-query` (400, names the parameter),
        `urn:sparkwatch:problem:bad-request` (400 broken HTTP framing or dot segments that would reroute the path, 408 body too slow),
        `urn:sparkwatch:problem:request-line-too-long` (414),
        `urn:sparkwatch:problem:server-busy` (503 with Retry-After: too many payload bytes in flight, send again shortly),
        `urn:sparkwatch:problem:store-unavailable` (503 with Retry-After: nothing was acknowledged, send again),
        `urn:sparkwatch:problem:broker-unavailable` (503 with Retry-After: JetStream did not acknowledge the payload, send again),
        `urn:sparkwatch:problem:archive-unavailable` (503: the run's events are in the archive only, and the archive cannot give them; `detail` says what is missing).
        """;
}
