using Microsoft.AspNetCore.Http.HttpResults;
using Sparkwatch.Sinks;
using Sparkwatch.Storage;
using Sparkwatch.Storage.Accepted;

namespace Sparkwatch.Endpoints;

/// <summary><c>/sinks</c>: each sink of the accepted stream and how far it is behind.</summary>
public static class SinksApi
{
    /// <summary>Maps the sinks endpoint.</summary>
    public static RouteGroupBuilder MapSinksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sinks").WithTags("Sinks");
        group.MapGet("", List)
            .WithName("ListSinks")
            .WithSummary("Each sink of the accepted stream: events and runs it has not applied yet, and how old the oldest of them is");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<SinkState>>> List(SinkHost host, IEventStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var states = new List<SinkState>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var sink in host.Sinks)
        {
            var runner = host.Runners.FirstOrDefault(r => r.Sink == sink);
            var lag = store is IAcceptedLog log ? await log.LagAsync(sink.Name, cancellationToken) : new SinkLag(0, 0, null);
            states.Add(new SinkState(sink.Name, runner is not null, lag.Events, lag.Runs,
                lag.OldestPendingAcceptedAt is { } oldest ? Math.Max(0, now - oldest) / 1000.0 : 0, runner?.EventsApplied, runner?.EventsFromMemory, runner?.LastError));
        }
        return TypedResults.Ok<IReadOnlyList<SinkState>>(states);
    }
}

/// <summary>A sink and its lag.</summary>
/// <param name="Name">The sink.</param>
/// <param name="RunsHere">True when this process runs it (<c>Sparkwatch:Sinks:Enabled</c>, roles).</param>
/// <param name="LagEvents">Accepted events it has not applied.</param>
/// <param name="LagRuns">Runs with accepted events it has not applied.</param>
/// <param name="LagSeconds">Age of the oldest accepted payload it has not applied; 0 when it is caught up.</param>
/// <param name="EventsApplied">Events this process applied since it started; null when it does not run the sink.</param>
/// <param name="EventsFromMemory">Of those, the events taken from what this process had just committed rather than read back from the store.</param>
/// <param name="LastError">Its last failure here, null when its last apply succeeded.</param>
public sealed record SinkState(string Name, bool RunsHere, long LagEvents, long LagRuns, double LagSeconds, long? EventsApplied, long? EventsFromMemory, string? LastError);
