using System.Globalization;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>
/// An execution's SQL metric values as Spark's SQLAppStatusListener aggregates them (every stage's task values, the
/// indices of a stage that reported nothing as 0, then the driver's values) and its MetricUtils prints them.
/// </summary>
internal static class SqlMetricValues
{
    private const string Sum = "sum", Size = "size", Timing = "timing", NsTiming = "nsTiming", Average = "average";
    private const string Suffix = "(min, med, max (stageId: taskId))";

    /// <summary>
    /// Accumulator id → printed value for the plan's metrics that have one; <paramref name="stages"/> are the stage
    /// rows of the execution, <paramref name="driver"/> its driver values.
    /// </summary>
    public static Dictionary<long, string> Of(IEnumerable<PlanMetric> metrics, IReadOnlyList<SqlStageMetricsRow> stages, SqlDriverMetricsRow? driver)
    {
        var values = new Dictionary<long, string>();
        var types = new Dictionary<long, string>();
        foreach (var m in metrics) types[m.AccumulatorId] = m.MetricType;
        var ordered = stages.OrderBy(s => s.StageId).ToList();
        foreach (var (id, type) in types)
        {
            var parts = ordered.Where(s => s.Metrics.ContainsKey(id)).Select(s => (Stage: s, Metric: s.Metrics[id])).ToList();
            long? fromDriver = driver is not null && driver.Values.TryGetValue(id, out var d) ? d : null;
            if (parts.Count == 0 && fromDriver is null) continue;
            values[id] = type switch
            {
                // Wrapping as Spark's Long sum does, rather than failing the read.
                Sum => FormatSum(parts.Aggregate(fromDriver ?? 0, (sum, p) => unchecked(sum + p.Metric.Total))),
                Size or Timing or NsTiming or Average => Distribution(type, parts, fromDriver),
                _ => "N/A", // A data source's custom metric: its aggregation is the source's own code.
            };
        }
        return values;
    }

    private static string Distribution(string type, List<(SqlStageMetricsRow Stage, SqlMetricAggregate Metric)> parts, long? fromDriver)
    {
        // Average metrics count only values above 0; the others every value from 0.
        var floor = type == Average ? 1 : 0;
        var bucketed = parts.Any(p => p.Metric.Bucketed);
        var counts = new SortedDictionary<long, long>();
        void Count(long key, long tasks)
        {
            if (key >= floor && tasks > 0) counts[key] = counts.GetValueOrDefault(key) + tasks;
        }
        long? exactMin = null, exactMax = null;
        long total = 0;
        foreach (var (stage, metric) in parts)
        {
            for (var i = 0; i < metric.Keys.Count; i++) Count(bucketed && !metric.Bucketed ? SqlMetricAggregate.Bucket(metric.Keys[i]) : metric.Keys[i], metric.Tasks[i]);
            Count(0, stage.NumTasks - metric.Reported);
            total += metric.ValidTotal;
            if (metric.Max >= floor) exactMax = Math.Max(exactMax ?? long.MinValue, metric.Max);
            if (metric.MinValid >= floor && metric.MinValid != long.MaxValue) exactMin = Math.Min(exactMin ?? long.MaxValue, metric.MinValid);
        }
        if (fromDriver is { } v && v >= floor)
        {
            Count(bucketed ? SqlMetricAggregate.Bucket(v) : v, 1);
            total += v;
            exactMax = Math.Max(exactMax ?? long.MinValue, v);
            exactMin = Math.Min(exactMin ?? long.MaxValue, v);
        }
        var n = counts.Values.Sum();
        if (counts.ContainsKey(0)) exactMin = 0;
        // An average's smallest value above 0 is only known from the distribution.
        if (type == Average) exactMin = null;
        Func<long, string> print = type switch
        {
            Size => Bytes,
            Timing => Milliseconds,
            NsTiming => ns => Milliseconds(ns / 1_000_000),
            _ => Tenths,
        };
        if (n <= 1) return print(n == 1 ? exactMin ?? counts.Keys.First() : 0); // One value prints alone, as current Spark prints it.

        var min = bucketed ? exactMin ?? SqlMetricAggregate.Middle(counts.Keys.First()) : counts.Keys.First();
        var max = bucketed ? exactMax ?? SqlMetricAggregate.Middle(counts.Keys.Last()) : counts.Keys.Last();
        var med = Median(counts, n, bucketed, min, max);
        var where = MaxTask(parts, fromDriver);
        return type == Average
            ? $"{Suffix}:\n({print(min)}, {print(med)}, {print(max)} {where})"
            : $"total {Suffix}\n{print(total)} ({print(min)}, {print(med)}, {print(max)} {where})";
    }

    // The value at 0-based rank n / 2 of the sorted values (Spark's sorted(n / 2)).
    private static long Median(SortedDictionary<long, long> counts, long n, bool bucketed, long min, long max)
    {
        var rank = n / 2;
        foreach (var (key, count) in counts)
        {
            if (rank < count) return bucketed ? Math.Clamp(SqlMetricAggregate.Middle(key), min, max) : key;
            rank -= count;
        }
        return max;
    }

    // Where the largest value came from: the first stage (by id) holding the largest task value, unless the driver's is larger.
    private static string MaxTask(List<(SqlStageMetricsRow Stage, SqlMetricAggregate Metric)> parts, long? fromDriver)
    {
        (SqlStageMetricsRow Stage, SqlMetricAggregate Metric)? best = null;
        foreach (var part in parts)
        {
            if (part.Metric.MaxTaskId >= 0 && (best is null || part.Metric.Max > best.Value.Metric.Max)) best = part;
        }
        if (best is not { } b || (fromDriver is { } v && v > b.Metric.Max)) return "(driver)";
        return string.Create(CultureInfo.InvariantCulture, $"(stage {b.Stage.StageId}.{b.Stage.StageAttemptId}: task {b.Metric.MaxTaskId})");
    }

    /// <summary>Java's <c>NumberFormat.getIntegerInstance(Locale.US)</c>: <c>1,234,567</c>.</summary>
    public static string FormatSum(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    /// <summary>An average metric's value (tenths): <c>NumberFormat.getNumberInstance(Locale.US)</c> of value / 10.</summary>
    public static string Tenths(long value) => (value / 10.0).ToString("#,##0.###", CultureInfo.InvariantCulture);

    /// <summary>Spark's <c>Utils.bytesToString</c>: the largest binary unit the size is at least twice of, one decimal.</summary>
    public static string Bytes(long size)
    {
        string[] units = ["EiB", "PiB", "TiB", "GiB", "MiB", "KiB"];
        for (var i = 0; i < units.Length; i++)
        {
            var unit = 1L << (10 * (6 - i));
            if (size >= 2 * (double)unit) return $"{OneDecimal((double)size / unit, 1)} {units[i]}";
        }
        return $"{OneDecimal(size, 1)} B";
    }

    /// <summary>Spark's <c>Utils.msDurationToString</c>: <c>35 ms</c>, <c>1.2 s</c>, <c>3.5 m</c>, <c>1.25 h</c>.</summary>
    public static string Milliseconds(long ms) => ms switch
    {
        < 1000 => ms.ToString(CultureInfo.InvariantCulture) + " ms",
        < 60_000 => OneDecimal(ms / 1000f, 1) + " s",
        < 3_600_000 => OneDecimal(ms / 60_000f, 1) + " m",
        _ => OneDecimal(ms / 3_600_000f, 2) + " h",
    };

    // Java's "%.nf": the shortest decimal that reads back as the double, rounded half up.
    private static string OneDecimal(double value, int decimals)
    {
        var shortest = decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return Math.Round(shortest, decimals, MidpointRounding.AwayFromZero).ToString(decimals == 1 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
    }
}
