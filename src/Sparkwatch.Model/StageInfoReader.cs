using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Reads Spark's <c>Stage Info</c>, accumulables and properties into rows.</summary>
internal static class StageInfoReader
{
    public static (int StageId, int AttemptId) Id(JsonElement info) => (info.Int("Stage ID"), info.Int("Stage Attempt ID"));

    public static void Apply(StageRow stage, JsonElement info)
    {
        stage.Name = info.Str("Stage Name") ?? stage.Name;
        stage.NumTasks = info.Int("Number of Tasks", stage.NumTasks);
        stage.Details = info.Str("Details") ?? stage.Details;
        stage.RddIds = [.. info.Items("RDD Info").Select(r => r.Int("RDD ID"))];
        stage.SubmissionTime = info.LongOrNull("Submission Time") ?? stage.SubmissionTime;
        stage.CompletionTime = info.LongOrNull("Completion Time") ?? stage.CompletionTime;
        stage.FailureReason = info.Str("Failure Reason") ?? stage.FailureReason;
        stage.Accumulables = [.. Accumulables(info).OrderBy(a => a.Id)];
        stage.ResourceProfileId = info.Int("Resource Profile Id", stage.ResourceProfileId);
        stage.IsShufflePushEnabled = info.Bool("Shuffle Push Enabled");
        stage.ShuffleMergersCount = info.Int("Shuffle Push Mergers Count");
    }

    /// <summary>The accumulables Spark's REST API shows: not internal, not SQL metrics.</summary>
    public static IEnumerable<AccumulableRow> Accumulables(JsonElement owner) =>
        owner.Items("Accumulables")
            .Where(a => !a.Bool("Internal") && a.Str("Metadata") != "sql" && a.Str("Name")?.StartsWith("internal.metrics.", StringComparison.Ordinal) != true)
            .Select(a => new AccumulableRow { Id = a.Long("ID"), Name = a.Str("Name"), Update = a.Prop("Update").Text(), Value = a.Prop("Value").Text() });

    public static string? Property(JsonElement e, string name) => e.Prop("Properties").Str(name);

    /// <summary>Executor metrics reported by name (<c>Task Executor Metrics</c>, <c>Executor Metrics</c>).</summary>
    public static Dictionary<string, long> ExecutorMetrics(JsonElement metrics)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (metrics.ValueKind != JsonValueKind.Object) return values;
        foreach (var p in metrics.EnumerateObject())
        {
            if (p.Value.AsLong() is { } v) values[p.Name] = v;
        }
        return values;
    }
}
