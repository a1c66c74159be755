using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparkwatch.Testing;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
/// <param name="Name">The sample's name (with <c>_total</c>, <c>_bucket</c>, … as exposed).</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Value">Its value.</param>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of Prometheus' text exposition format 0.0.4: every line is blank, a <c># HELP</c> / <c># TYPE</c> / other
/// comment, or a sample <c>name{label="value",…} value [timestamp]</c>; anything else throws, naming the line.
/// </summary>
public static partial class PrometheusText
{
    /// <summary>The samples of <paramref name="text"/>; throws <see cref="FormatException"/> on a line outside the grammar.</summary>
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                if (line.StartsWith("# TYPE ", StringComparison.Ordinal) && !TypeLine().IsMatch(line)) throw new FormatException($"Bad TYPE line: {line}");
                if (line.StartsWith("# HELP ", StringComparison.Ordinal) && !HelpLine().IsMatch(line)) throw new FormatException($"Bad HELP line: {line}");
                continue;
            }
            var match = SampleLine().Match(line);
            if (!match.Success) throw new FormatException($"Not a Prometheus sample line: {line}");
            var labels = match.Groups["label"].Captures.Select((c, i) => (c.Value, Unescape(match.Groups["lvalue"].Captures[i].Value)))
                .ToDictionary(l => l.Item1, l => l.Item2);
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }
        return samples;
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every pair of <paramref name="labels"/>.</summary>
    public static double Sum(this IReadOnlyList<PrometheusSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string value) => value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
        .Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?:(?<label>[a-zA-Z_][a-zA-Z0-9_]*)="(?<lvalue>(?:[^"\\\n]|\\[\\"n])*)"(?:,(?<label>[a-zA-Z_][a-zA-Z0-9_]*)="(?<lvalue>(?:[^"\\\n]|\\[\\"n])*)")*)?,?\})? (?<value>[+-]?(?:Inf|NaN|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?))(?: -?[0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$")]
    private static partial Regex HelpLine();
}
