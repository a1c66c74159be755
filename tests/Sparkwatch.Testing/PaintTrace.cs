using System.Text.Json;

namespace Sparkwatch.Testing;

/// <summary>
/// A page load's paint timings as Chromium's own performance trace records them (the trace the DevTools Performance
/// panel shows), in ms from the main frame's navigation start: first paint, first contentful paint and the page's
/// <c>performance.mark</c>s. <see cref="RecordAsync"/> records one load over the Chrome DevTools Protocol.
/// </summary>
public sealed class PaintTrace
{
    private readonly List<JsonElement> _events = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The parameters of Tracing.start: the categories that hold navigation, paint and user-timing events, reported as events.
    private static Dictionary<string, object> StartParameters { get; } = new()
    {
        ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = new[] { "devtools.timeline", "loading", "blink.user_timing" } },
        ["transferMode"] = "ReportEvents",
    };

    // Takes the events of one Tracing.dataCollected message (its value array).
    private void Add(JsonElement dataCollected)
    {
        lock (_events)
        {
            foreach (var traceEvent in dataCollected.GetProperty("value").EnumerateArray()) _events.Add(traceEvent.Clone());
        }
    }

    private void Complete() => _complete.TrySetResult();

    private Task Completed => _complete.Task;

    /// <summary>
    /// Records the trace of <paramref name="load"/> over a DevTools Protocol session given as its two operations
    /// (<paramref name="send"/> a command, <paramref name="subscribe"/> to an event; this project does not depend on a
    /// browser driver), and returns the timings of its navigation to <paramref name="urlPrefix"/>.
    /// </summary>
    public static async Task<PaintTimings> RecordAsync(
        Func<string, Dictionary<string, object>?, Task> send, Action<string, Action<JsonElement?>> subscribe, Func<Task> load, string urlPrefix)
    {
        var trace = new PaintTrace();
        subscribe("Tracing.dataCollected", message => trace.Add(message!.Value));
        subscribe("Tracing.tracingComplete", _ => trace.Complete());
        await send("Tracing.start", StartParameters);
        await load();
        await send("Tracing.end", null);
        await trace.Completed.WaitAsync(TimeSpan.FromMinutes(1));
        return trace.TimingsOf(urlPrefix);
    }

    /// <summary>
    /// The timings of the last main-frame navigation to a URL starting with <paramref name="urlPrefix"/>; paint and
    /// mark events are matched to it by their navigation id. Throws when the trace has no such navigation or no
    /// first contentful paint for it.
    /// </summary>
    private PaintTimings TimingsOf(string urlPrefix)
    {
        List<JsonElement> events;
        lock (_events) events = [.. _events];
        var navigation = events.LastOrDefault(e => Name(e) == "navigationStart" && Data(e) is { } data
            && data.TryGetProperty("isLoadingMainFrame", out var main) && main.ValueKind == JsonValueKind.True
            && data.TryGetProperty("documentLoaderURL", out var url) && url.GetString()!.StartsWith(urlPrefix, StringComparison.Ordinal));
        if (navigation.ValueKind == JsonValueKind.Undefined) throw new InvalidOperationException($"The trace ({events.Count} events) has no main-frame navigation to {urlPrefix}.");
        var id = NavigationId(navigation);
        var start = navigation.GetProperty("ts").GetDouble();
        double? At(string name) => events.Where(e => Name(e) == name && NavigationId(e) == id).Select(e => (e.GetProperty("ts").GetDouble() - start) / 1000.0).Cast<double?>().FirstOrDefault();
        var marks = events.Where(e => e.GetProperty("cat").GetString() == "blink.user_timing" && Name(e) != "navigationStart" && NavigationId(e) == id)
            .GroupBy(Name).ToDictionary(g => g.Key, g => (g.First().GetProperty("ts").GetDouble() - start) / 1000.0);
        return new PaintTimings(
            At("firstPaint") ?? throw new InvalidOperationException("The trace has no first paint of the navigation."),
            At("firstContentfulPaint") ?? throw new InvalidOperationException("The trace has no first contentful paint of the navigation."),
            marks);
    }

    private static string Name(JsonElement e) => e.GetProperty("name").GetString() ?? "";

    private static JsonElement? Data(JsonElement e) =>
        e.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object && args.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data : null;

    private static string? NavigationId(JsonElement e) => Data(e) is { } data && data.TryGetProperty("navigationId", out var id) ? id.GetString() : null;
}

/// <summary>Paint timings of one page load from its trace, ms from navigation start.</summary>
/// <param name="FirstPaintMs">The first paint of anything.</param>
/// <param name="FirstContentfulPaintMs">The first paint of text or an image (what a user first sees).</param>
/// <param name="MarksMs">The page's <c>performance.mark</c>s by name (the first of each).</param>
public sealed record PaintTimings(double FirstPaintMs, double FirstContentfulPaintMs, IReadOnlyDictionary<string, double> MarksMs);
