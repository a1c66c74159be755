namespace Sparkwatch.Core.Events;

/// <summary>The facts Sparkwatch reads from an event when it arrives; everything else stays in the raw JSON.</summary>
/// <param name="EventType">The event's <c>"Event"</c> field, e.g. <c>SparkListenerTaskEnd</c>.</param>
/// <param name="Timestamp">The event's own <c>"Timestamp"</c> (epoch ms), when it has one.</param>
/// <param name="AttemptId">The <c>"App Attempt ID"</c> of an application start, when present.</param>
/// <param name="AppId">The <c>"App ID"</c> of an application start, when present.</param>
/// <param name="AppName">The <c>"App Name"</c> of an application start, when present.</param>
public sealed record EventFacts(string EventType, long? Timestamp = null, string? AttemptId = null, string? AppId = null, string? AppName = null)
{
    /// <summary>True for <c>SparkListenerApplicationStart</c>.</summary>
    public bool IsApplicationStart => EventType == SparkEventTypes.ApplicationStart;

    /// <summary>True for <c>SparkListenerApplicationEnd</c>.</summary>
    public bool IsApplicationEnd => EventType == SparkEventTypes.ApplicationEnd;
}
