using System.Diagnostics;
using Sparkwatch.Endpoints;

namespace Sparkwatch.Metrics;

/// <summary>
/// Measures every request of an ingest endpoint from outside the pipeline: its body bytes as they arrive, its outcome
/// (the answer's status) and, when acknowledged, what it held and how long the acknowledgement took. 401s never reach
/// an endpoint (the key check answers first), so they are not counted here.
/// </summary>
public static class IngestMetricsFilter
{
    /// <summary>Measures the endpoints of <paramref name="builder"/> as <paramref name="receiver"/>'s.</summary>
    public static TBuilder WithIngestMetrics<TBuilder>(this TBuilder builder, IngestReceiver receiver) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var metrics = factory.ApplicationServices.GetRequiredService<SparkwatchMetrics>();
            return context => MeasureAsync(context, next, metrics, receiver);
        });

    private static async ValueTask<object?> MeasureAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next,
        SparkwatchMetrics metrics, IngestReceiver receiver)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var request = context.HttpContext.Request;
        var body = new CountingReadStream(request.Body);
        request.Body = body;
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e)
        {
            var status = e is BadHttpRequestException bad ? bad.StatusCode : 0;
            metrics.Payload(receiver, status == 0 ? "aborted" : "refused", StatusLabel(status), body.BytesRead);
            throw;
        }
        var answer = result is INestedHttpResult nested ? nested.Result : result as IResult;
        if (answer is IValueHttpResult { Value: CollectResponse stored })
        {
            metrics.Payload(receiver, "stored", "200", body.BytesRead);
            // Behind a broker the collector does not know what the writer will find new: it counts what it published.
            metrics.Acknowledged(receiver, startedAt, stored.EventsStored ?? stored.EventsAccepted ?? 0, stored.Duplicates ?? 0, stored.Quarantined);
        }
        else
        {
            metrics.Payload(receiver, "refused", StatusLabel((answer as IStatusCodeHttpResult)?.StatusCode ?? 0), body.BytesRead);
        }
        return result;
    }

    // Constant strings: a label value is never built per request.
    private static string StatusLabel(int status) => status switch
    {
        200 => "200",
        400 => "400",
        408 => "408",
        413 => "413",
        415 => "415",
        500 => "500",
        503 => "503",
        0 => "none",
        _ => "other",
    };
}
