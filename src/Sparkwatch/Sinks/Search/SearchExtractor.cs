using System.Text;
using System.Text.Json;
using Sparkwatch.Core.Events;
using Sparkwatch.Storage.Accepted;
using Sparkwatch.Storage.Search;

namespace Sparkwatch.Sinks.Search;

/// <summary>
/// What of an event is searchable: failure reasons and stack traces (task ends, job results, failed stages, removed
/// executors, SQL errors), names and descriptions (application, stages, jobs, SQL executions), the user, and the
/// configuration of environment updates (as redacted at ingest). Events of other types are skipped by their type
/// without being parsed; successful task and job ends by a byte search.
/// </summary>
public static class SearchExtractor
{
    private const string TaskEnd = "SparkListenerTaskEnd";
    private const string JobEnd = "SparkListenerJobEnd";
    private const string StageCompleted = "SparkListenerStageCompleted";
    private const string ExecutorRemoved = "SparkListenerExecutorRemoved";
    private const string SqlExecutionEnd = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd";

    // The environment's sections that are configuration (its classpath is not).
    private static readonly string[] ConfigurationSections = ["JVM Information", "Spark Properties", "Hadoop Properties", "System Properties", "Metrics Properties"];

    /// <summary>The documents of <paramref name="accepted"/> (none for most events).</summary>
    public static IEnumerable<SearchDocument> Extract(AcceptedEvent accepted)
    {
        var json = accepted.Json;
        var wanted = accepted.EventType switch
        {
            // Spark writes these compactly; spaced JSON is parsed and its success found below.
            TaskEnd => json.AsSpan().IndexOf("\"Reason\":\"Success\""u8) < 0,
            JobEnd => json.AsSpan().IndexOf("\"Result\":\"JobSucceeded\""u8) < 0,
            StageCompleted => json.AsSpan().IndexOf("\"Failure Reason\""u8) >= 0,
            SparkEventTypes.ApplicationStart or SparkEventTypes.EnvironmentUpdate or SparkEventTypes.JobStart or SparkEventTypes.StageSubmitted
                or ExecutorRemoved or SparkEventTypes.SqlExecutionStart or SqlExecutionEnd => true,
            _ => false,
        };
        if (!wanted) return [];
        var documents = new List<SearchDocument>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            void Add(string field, SearchFieldKind kind, string? text)
            {
                if (!string.IsNullOrWhiteSpace(text)) documents.Add(new SearchDocument(accepted.Seq, accepted.GeneratedAt, accepted.EventType, field, kind, SearchText.Clean(text)));
            }
            if (root.ValueKind != JsonValueKind.Object) return [];
            switch (accepted.EventType)
            {
                case TaskEnd when Object(root, "Task End Reason") is { ValueKind: JsonValueKind.Object } reason && String(reason, "Reason") != "Success":
                    Add("Task End Reason", SearchFieldKind.Failure, Lines(reason, "Reason", "Class Name", "Description", "Message", "Loss Reason", "Kill Reason"));
                    Add("Full Stack Trace", SearchFieldKind.Failure, String(reason, "Full Stack Trace") ?? Frames(reason));
                    break;
                case JobEnd when Object(root, "Job Result") is { ValueKind: JsonValueKind.Object } result && String(result, "Result") != "JobSucceeded":
                    var exception = Object(result, "Exception");
                    Add("Job Result", SearchFieldKind.Failure, string.Join('\n', new[] { String(result, "Result"), String(exception, "Message") }.OfType<string>()));
                    Add("Stack Trace", SearchFieldKind.Failure, Frames(exception));
                    break;
                case StageCompleted:
                    Add("Failure Reason", SearchFieldKind.Failure, String(Object(root, "Stage Info"), "Failure Reason"));
                    break;
                case SparkEventTypes.StageSubmitted:
                    Add("Stage Name", SearchFieldKind.Name, String(Object(root, "Stage Info"), "Stage Name"));
                    Add("Details", SearchFieldKind.Name, String(Object(root, "Stage Info"), "Details"));
                    break;
                case ExecutorRemoved:
                    Add("Removed Reason", SearchFieldKind.Failure, String(root, "Removed Reason"));
                    break;
                case SqlExecutionEnd:
                    Add("errorMessage", SearchFieldKind.Failure, String(root, "errorMessage"));
                    break;
                case SparkEventTypes.ApplicationStart:
                    Add("App Name", SearchFieldKind.Name, String(root, "App Name"));
                    Add("User", SearchFieldKind.User, String(root, "User"));
                    break;
                case SparkEventTypes.JobStart:
                    Add("spark.job.description", SearchFieldKind.Name, String(Object(root, "Properties"), "spark.job.description"));
                    break;
                case SparkEventTypes.SqlExecutionStart:
                    Add("description", SearchFieldKind.Name, String(root, "description"));
                    break;
                case SparkEventTypes.EnvironmentUpdate:
                    foreach (var section in ConfigurationSections) Add(section, SearchFieldKind.Configuration, Settings(Object(root, section)));
                    break;
            }
        }
        catch (JsonException)
        {
            // Stored events are valid JSON; should one not be, it has nothing to index rather than stopping the sink.
            return [];
        }
        return documents;
    }

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Lines(JsonElement parent, params string[] names) => string.Join('\n', names.Select(n => String(parent, n)).OfType<string>());

    // A stack trace as Spark's JSON keeps it (frames without the exception's own line), written as Java prints it.
    private static string? Frames(JsonElement parent)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty("Stack Trace", out var frames) || frames.ValueKind != JsonValueKind.Array) return null;
        var text = new StringBuilder();
        foreach (var frame in frames.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object))
        {
            var line = frame.TryGetProperty("Line Number", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetRawText() : "?";
            text.Append("at ").Append(String(frame, "Declaring Class")).Append('.').Append(String(frame, "Method Name"))
                .Append('(').Append(String(frame, "File Name")).Append(':').Append(line).Append(")\n");
        }
        return text.ToString();
    }

    // Key = value lines of an object of settings.
    private static string? Settings(JsonElement section)
    {
        if (section.ValueKind != JsonValueKind.Object) return null;
        var text = new StringBuilder();
        foreach (var setting in section.EnumerateObject())
        {
            text.Append(setting.Name).Append(" = ").Append(setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText()).Append('\n');
        }
        return text.ToString();
    }
}
