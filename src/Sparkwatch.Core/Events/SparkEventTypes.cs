using System.Text;

namespace Sparkwatch.Core.Events;

/// <summary>Names of Spark listener events Sparkwatch knows; any other name is accepted as it is.</summary>
public static class SparkEventTypes
{
    /// <summary><c>SparkListenerApplicationStart</c>.</summary>
    public const string ApplicationStart = "SparkListenerApplicationStart";
    /// <summary><c>SparkListenerApplicationEnd</c>.</summary>
    public const string ApplicationEnd = "SparkListenerApplicationEnd";
    /// <summary><c>SparkListenerEnvironmentUpdate</c>, the event that carries configuration (and so secrets).</summary>
    public const string EnvironmentUpdate = "SparkListenerEnvironmentUpdate";
    /// <summary><c>SparkListenerJobStart</c>, whose <c>Properties</c> may carry session settings (and so secrets).</summary>
    public const string JobStart = "SparkListenerJobStart";
    /// <summary><c>SparkListenerStageSubmitted</c>, whose <c>Properties</c> may carry session settings (and so secrets).</summary>
    public const string StageSubmitted = "SparkListenerStageSubmitted";
    /// <summary>A SQL execution's start, whose <c>modifiedConfigs</c> are the session's changed settings.</summary>
    public const string SqlExecutionStart = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart";

    private static readonly string[] Known =
    [
        ApplicationStart, ApplicationEnd, EnvironmentUpdate,
        "SparkListenerTaskStart", "SparkListenerTaskEnd", "SparkListenerTaskGettingResult",
        "SparkListenerStageSubmitted", "SparkListenerStageCompleted", "SparkListenerStageExecutorMetrics",
        "SparkListenerJobStart", "SparkListenerJobEnd", "SparkListenerExecutorAdded", "SparkListenerExecutorRemoved",
        "SparkListenerExecutorMetricsUpdate", "SparkListenerBlockManagerAdded", "SparkListenerBlockManagerRemoved",
        "SparkListenerBlockUpdated", "SparkListenerUnpersistRDD", "SparkListenerLogStart", "SparkListenerResourceProfileAdded",
        "SparkListenerExecutorBlacklisted", "SparkListenerExecutorExcluded", "SparkListenerNodeBlacklisted", "SparkListenerNodeExcluded",
        "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",
        "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd",
        "org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate",
        "org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates",
        "org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveSQLMetricUpdates",
    ];

    private static readonly byte[][] KnownUtf8 = [.. Known.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Returns the shared string for a known event name (no allocation), or a new string for an unknown one.</summary>
    public static string Intern(ReadOnlySpan<byte> utf8Name)
    {
        for (var i = 0; i < KnownUtf8.Length; i++)
        {
            if (utf8Name.SequenceEqual(KnownUtf8[i])) return Known[i];
        }
        return Encoding.UTF8.GetString(utf8Name);
    }
}
