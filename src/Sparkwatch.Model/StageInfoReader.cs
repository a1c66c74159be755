using System.Runtime.InteropServices;
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

    /// <summary>The accumulables Spark's REST API shows: not internal, not SQL metrics. Read at every task end, so the filters compare bytes.</summary>
    public static List<AccumulableRow> Accumulables(JsonElement owner)
    {
        var rows = new List<AccumulableRow>();
        if (owner.Prop("Accumulables") is not { ValueKind: JsonValueKind.Array } items) return rows;
        foreach (var a in items.EnumerateArray())
        {
            if (a.Bool("Internal") || IsSqlMetric(a) || IsInternalMetric(a.Prop("Name"))) continue;
            rows.Add(new AccumulableRow { Id = a.Long("ID"), Name = a.Str("Name"), Update = a.Prop("Update").Text(), Value = a.Prop("Value").Text() });
        }
        return rows;
    }

    /// <summary>Whether an accumulable is a SQLMetric's (metadata <c>sql</c>, Spark's SQL_ACCUM_IDENTIFIER): one field lookup.</summary>
    public static bool IsSqlMetric(JsonElement accumulable) =>
        accumulable.ValueKind == JsonValueKind.Object && accumulable.TryGetProperty("Metadata"u8, out var metadata)
        && metadata.ValueKind == JsonValueKind.String && metadata.ValueEquals("sql"u8);

    private static bool IsInternalMetric(JsonElement name)
    {
        if (name.ValueKind != JsonValueKind.String) return false;
        var raw = JsonMarshal.GetRawUtf8Value(name);
        // An escaped name is unescaped first; Spark's names never are.
        return raw.Contains((byte)'\\') ? name.GetString()!.StartsWith(InternalMetricPrefix, StringComparison.Ordinal) : raw[1..].StartsWith(InternalMetricPrefixUtf8);
    }

    private const string InternalMetricPrefix = "internal.metrics.";
    private static ReadOnlySpan<byte> InternalMetricPrefixUtf8 => "internal.metrics."u8;

    public static string? Property(JsonElement e, string name) => e.Prop("Properties").Str(name);

    /// <summary>
    /// Executor metrics reported by name (<c>Task Executor Metrics</c>, <c>Executor Metrics</c>), by their index in
    /// <see cref="PeakMetrics.Names"/>; <see cref="PeakMetrics.NotReported"/> where absent. Read once per task end, so
    /// without a string or dictionary per metric: Spark writes them in the order of the names, which is tried first.
    /// </summary>
    public static long[] ExecutorMetrics(JsonElement metrics)
    {
        var names = PeakMetrics.Names;
        var values = new long[names.Length];
        Array.Fill(values, PeakMetrics.NotReported);
        if (metrics.ValueKind != JsonValueKind.Object) return values;
        var next = 0;
        foreach (var p in metrics.EnumerateObject())
        {
            var index = next < names.Length && p.NameEquals(names[next]) ? next : IndexOf(p);
            if (index < 0) continue;
            next = index + 1;
            if (p.Value.AsLong() is { } v) values[index] = v;
        }
        return values;
    }

    private static int IndexOf(JsonProperty p)
    {
        for (var i = 0; i < PeakMetrics.Names.Length; i++)
        {
            if (p.NameEquals(PeakMetrics.Names[i])) return i;
        }
        return -1;
    }
}
