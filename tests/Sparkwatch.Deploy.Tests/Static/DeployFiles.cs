using Sparkwatch.Testing;
using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>The repository's deployment files: plain manifests and the Helm chart, rendered with its default values.</summary>
public static class DeployFiles
{
    public static string K8s => Path.Combine(TestPaths.RepositoryRoot, "deploy", "k8s");

    public static string Chart => Path.Combine(TestPaths.RepositoryRoot, "deploy", "helm", "sparkwatch");

    /// <summary>The objects of every <c>.yaml</c> file directly in <paramref name="folder"/> (as <c>kubectl apply -f</c> reads it).</summary>
    public static List<YamlMappingNode> Manifests(string folder) =>
        [.. Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).SelectMany(f => Yaml.Documents(File.ReadAllText(f)))];

    public static YamlMappingNode ChartYaml() => Yaml.Documents(File.ReadAllText(Path.Combine(Chart, "Chart.yaml"))).Single();

    public static YamlMappingNode Values() => Yaml.Documents(File.ReadAllText(Path.Combine(Chart, "values.yaml"))).Single();

    /// <summary>The JetStream flavour: <c>--set broker.kind=nats</c>, the chart's own NATS.</summary>
    public static List<YamlMappingNode> RenderJetStreamChart() => RenderChart("sparkwatch-jetstream", "postgres", ("broker.kind", "nats"));

    public static IEnumerable<string> TemplateFiles() => Directory.GetFiles(Path.Combine(Chart, "templates")).Order(StringComparer.Ordinal);

    /// <summary>The chart rendered as <c>helm install sparkwatch … --namespace ns</c> would, with <paramref name="storageType"/>
    /// and scalar values set (<c>--set broker.kind=nats</c>).</summary>
    public static List<YamlMappingNode> RenderChart(string releaseNamespace, string storageType = "postgres", params (string Path, string Value)[] overrides)
    {
        var values = Values();
        ((YamlScalarNode)values.At("storage.type")!).Value = storageType;
        foreach (var (path, value) in overrides) ((YamlScalarNode)values.At(path)!).Value = value;
        var renderer = new ChartRenderer(values, "sparkwatch", releaseNamespace, ChartYaml());
        return [.. TemplateFiles().Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)).SelectMany(f => Yaml.Documents(renderer.Render(File.ReadAllText(f))))];
    }
}
