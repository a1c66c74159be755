using System.Text.RegularExpressions;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>The chart's files parse, and its templates and values.yaml agree on every value.</summary>
public sealed partial class ChartValues
{
    [Fact]
    public void Chart_and_values_parse_with_the_required_fields()
    {
        var chart = DeployFiles.ChartYaml();

        Assert.Equal(("v2", "sparkwatch", "application"), (chart.Str("apiVersion"), chart.Str("name"), chart.Str("type")));
        Assert.Matches(@"^\d+\.\d+\.\d+$", chart.Str("version"));
        Assert.NotNull(chart.Str("appVersion"));
        Assert.Equal("postgres", DeployFiles.Values().Str("storage.type"));
    }

    [Fact]
    public void Every_value_the_templates_reference_exists_in_values_yaml()
    {
        var values = DeployFiles.Values();

        var missing = References().Where(r => values.At(r) is null).ToList();

        Assert.NotEmpty(References());
        Assert.True(missing.Count == 0, "Referenced but not in values.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_value_in_values_yaml_is_used_by_a_template()
    {
        var references = References();

        // A value is used when a template names it or a mapping above it (e.g. toYaml .Values.resources).
        var unused = Yaml.LeafPaths(DeployFiles.Values()).Where(leaf => !references.Any(r => leaf == r || leaf.StartsWith(r + ".", StringComparison.Ordinal))).ToList();

        Assert.True(unused.Count == 0, "In values.yaml but used by no template: " + string.Join(", ", unused));
    }

    private static HashSet<string> References() =>
        [.. DeployFiles.TemplateFiles().SelectMany(f => ValuesReference().Matches(File.ReadAllText(f))).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\.Values\.([\w]+(?:\.[\w]+)*)")]
    private static partial Regex ValuesReference();
}
