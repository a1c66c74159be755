using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Sparkwatch.Endpoints;

/// <summary>
/// Turns what a client got wrong at the HTTP level into a problem answer instead of a 500: bad chunk framing (400), a
/// body slower than Kestrel's minimum data rate (408), a query parameter that does not bind (400 naming it). A client
/// that went away mid-body gets no answer and a debug line, not an error in the log.
/// </summary>
public sealed partial class HttpFaultHandler(ILogger<HttpFaultHandler> logger) : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        if (httpContext.RequestAborted.IsCancellationRequested || httpContext.Response.HasStarted)
        {
            LogClientFault(logger, httpContext.Request.Method, httpContext.Request.Path, bad.Message);
            return true;
        }
        await AsProblem(httpContext, bad).ExecuteAsync(httpContext);
        return true;
    }

    private static ProblemHttpResult AsProblem(HttpContext context, BadHttpRequestException bad)
    {
        // Reads take no body, so a bad request there is a query parameter that did not bind.
        if (HttpMethods.IsGet(context.Request.Method) && bad.StatusCode == StatusCodes.Status400BadRequest)
        {
            return Problems.InvalidQuery($"{bad.Message} See the parameters of {context.Request.Path} in /openapi/v1.json.");
        }
        return bad.StatusCode switch
        {
            StatusCodes.Status408RequestTimeout => Problems.Of(bad.StatusCode, ProblemTypes.BadRequest, "Request body too slow",
                $"{bad.Message} The body arrived slower than Kestrel's minimum data rate (240 bytes/s after a 5 s grace period); send it faster."),
            StatusCodes.Status413PayloadTooLarge => Problems.Of(bad.StatusCode, ProblemTypes.PayloadTooLarge, "Payload too large",
                $"{bad.Message} (Sparkwatch:Limits:MaxBodyBytes)"),
            _ => Problems.Of(bad.StatusCode, ProblemTypes.BadRequest, "Malformed HTTP request", $"{bad.Message} The request does not follow HTTP/1.1 framing."),
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}: the client broke off its request ({Reason})")]
    private static partial void LogClientFault(ILogger logger, string method, PathString path, string reason);
}
