using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>
/// A test-only renderer for the subset of Helm's template language the chart uses (helm cannot be installed here):
/// <c>if/else/end</c> on their own lines (<c>.Values.x</c>, <c>not</c>, <c>eq</c>), <c>range</c> over a list of scalars (with
/// <c>{{ . }}</c> and <c>$.</c> for the root inside), <c>{{ .Values.x }}</c> with an optional
/// <c>| quote</c>, <c>.Release.Name/Namespace</c>, <c>.Chart.Name/AppVersion</c>, and <c>toYaml … | nindent N</c> on its own line.
/// Anything else fails the render, so the chart cannot drift into syntax this check does not understand.
/// </summary>
public sealed partial class ChartRenderer(YamlMappingNode values, string releaseName, string releaseNamespace, YamlMappingNode chart)
{
    public string Render(string template) => Render(template.Split('\n'), dot: null);

    private string Render(IReadOnlyList<string> lines, string? dot)
    {
        var output = new StringBuilder();
        var active = new Stack<(bool Parent, bool Condition)>();
        bool Emitting() => active.All(a => a.Parent && a.Condition);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (ControlLine().Match(trimmed) is { Success: true } control)
            {
                switch (control.Groups[1].Value)
                {
                    case "range":
                        var body = RangeBody(lines, ref i);
                        if (!Emitting()) break;
                        var items = Lookup(Root(control.Groups[2].Value.Trim())) as YamlSequenceNode ?? throw new InvalidDataException("range over a non-list.");
                        foreach (var item in items) output.Append(Render(body, ((YamlScalarNode)item).Value));
                        break;
                    case "if": active.Push((Emitting(), Truthy(control.Groups[2].Value.Trim()))); break;
                    case "else": var top = active.Pop(); active.Push((top.Parent, !top.Condition)); break;
                    default: active.Pop(); break;
                }
                continue;
            }
            if (!Emitting()) continue;
            if (ToYamlLine().Match(trimmed) is { Success: true } toYaml)
            {
                var indent = new string(' ', int.Parse(toYaml.Groups[2].Value));
                foreach (var yamlLine in Emit(Lookup(Root(toYaml.Groups[1].Value)))) output.Append(indent).Append(yamlLine).Append('\n');
                continue;
            }
            output.Append(Expression().Replace(line, m => Evaluate(m.Groups[1].Value.Trim(), dot))).Append('\n');
        }
        if (active.Count > 0) throw new InvalidDataException("Unclosed {{ if }}.");
        return output.ToString();
    }

    /// <summary>The lines between a <c>range</c> line and its <c>end</c>; <paramref name="i"/> moves to that <c>end</c>.</summary>
    private static List<string> RangeBody(IReadOnlyList<string> lines, ref int i)
    {
        var body = new List<string>();
        for (var depth = 1; ++i < lines.Count;)
        {
            if (ControlLine().Match(lines[i].Trim()) is { Success: true } control)
            {
                if (control.Groups[1].Value is "if" or "range") depth++;
                else if (control.Groups[1].Value == "end" && --depth == 0) return body;
            }
            body.Add(lines[i]);
        }
        throw new InvalidDataException("Unclosed {{ range }}.");
    }

    // Inside a range, $ is the root: $.Values.x is .Values.x.
    private static string Root(string reference) => reference.StartsWith("$.", StringComparison.Ordinal) ? reference[1..] : reference;

    private string Evaluate(string expression, string? dot)
    {
        var parts = expression.Split('|', StringSplitOptions.TrimEntries);
        var value = Root(parts[0]) switch
        {
            "." => dot ?? throw new InvalidDataException("{{ . }} outside a range."),
            ".Release.Name" => releaseName,
            ".Release.Namespace" => releaseNamespace,
            ".Chart.Name" => chart.Str("name")!,
            ".Chart.AppVersion" => chart.Str("appVersion")!,
            var v when v.StartsWith(".Values.", StringComparison.Ordinal) => (Lookup(v) as YamlScalarNode)?.Value
                ?? throw new InvalidDataException($"{v} is not a scalar in values.yaml."),
            var v => throw new InvalidDataException($"Unsupported template expression: {v}"),
        };
        return parts.Length switch
        {
            1 => value,
            2 when parts[1] == "quote" => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
            _ => throw new InvalidDataException($"Unsupported pipeline: {expression}"),
        };
    }

    private bool Truthy(string condition)
    {
        condition = Root(condition);
        if (condition.StartsWith("not ", StringComparison.Ordinal)) return !Truthy(condition[4..].Trim());
        if (EqCondition().Match(condition) is { Success: true } eq) return (Lookup(Root(eq.Groups[1].Value)) as YamlScalarNode)?.Value == eq.Groups[2].Value;
        return Lookup(Root(condition)) switch
        {
            YamlScalarNode s => s.Value is { Length: > 0 } v && v != "false" && v != "0",
            YamlMappingNode m => m.Children.Count > 0,
            YamlSequenceNode q => q.Children.Count > 0,
            _ => false,
        };
    }

    private YamlNode Lookup(string reference) =>
        reference.StartsWith(".Values.", StringComparison.Ordinal) && values.At(reference[".Values.".Length..]) is { } node
            ? node
            : throw new InvalidDataException($"{reference} is not in values.yaml.");

    private static IEnumerable<string> Emit(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(c => c.Value is YamlScalarNode s
            ? [$"{((YamlScalarNode)c.Key).Value}: {Scalar(s)}"]
            : Emit(c.Value).Select(l => "  " + l).Prepend($"{((YamlScalarNode)c.Key).Value}:")),
        _ => throw new InvalidDataException("toYaml of a non-mapping is not supported here."),
    };

    private static string Scalar(YamlScalarNode s) => s.Style is YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted ? $"\"{s.Value}\"" : s.Value!;

    [GeneratedRegex(@"^\{\{-?\s*(if|else|end|range)\b(.*?)\s*-?\}\}$")]
    private static partial Regex ControlLine();

    [GeneratedRegex(@"^\{\{-?\s*toYaml\s+(\$?\.Values[\w.]+)\s*\|\s*nindent\s+(\d+)\s*-?\}\}$")]
    private static partial Regex ToYamlLine();

    [GeneratedRegex(@"\{\{-?(.+?)-?\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex("^eq\\s+(\\.Values[\\w.]+)\\s+\"([^\"]*)\"$")]
    private static partial Regex EqCondition();
}
