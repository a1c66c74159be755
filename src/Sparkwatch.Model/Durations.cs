using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Task times derived as Spark's AppStatusUtils does.</summary>
internal static class Durations
{
    /// <summary>Finish − launch for a finished task; <c>null</c> while it runs.</summary>
    public static long? Of(TaskRow t) => t.FinishTime is { } f && f > 0 ? f - t.LaunchTime : null;

    public static long GettingResultTime(TaskRow t)
    {
        if (t.ResultFetchStart is not { } fetch || fetch <= 0) return 0;
        return Of(t) is { } d && d > 0 ? t.LaunchTime + d - fetch : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - fetch;
    }

    public static long SchedulerDelay(TaskRow t)
    {
        if (t.Metrics is not { } m || Of(t) is not { } d) return 0;
        return Math.Max(0, d - m.ExecutorRunTime - m.ExecutorDeserializeTime - m.ResultSerializationTime - GettingResultTime(t));
    }
}
