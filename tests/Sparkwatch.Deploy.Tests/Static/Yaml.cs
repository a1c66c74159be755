using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>Small helpers over YamlDotNet's representation model.</summary>
public static class Yaml
{
    public static List<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static YamlNode? At(this YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var key in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out current)) return null;
        }
        return current;
    }

    public static string? Str(this YamlNode node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static YamlMappingNode Map(this YamlNode node, string path) =>
        node.At(path) as YamlMappingNode ?? throw new InvalidDataException($"'{path}' must be a mapping.");

    public static IEnumerable<YamlMappingNode> Items(this YamlNode node, string path) =>
        (node.At(path) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];

    public static Dictionary<string, string> Labels(this YamlNode node, string path) =>
        (node.At(path) as YamlMappingNode)?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!) ?? [];

    /// <summary>Paths of every leaf (scalar or sequence) under <paramref name="node"/>, e.g. <c>image.tag</c>.</summary>
    public static IEnumerable<string> LeafPaths(YamlMappingNode node, string prefix = "")
    {
        foreach (var (key, value) in node.Children)
        {
            var path = prefix + ((YamlScalarNode)key).Value;
            if (value is YamlMappingNode { Children.Count: > 0 } child)
            {
                foreach (var leaf in LeafPaths(child, path + ".")) yield return leaf;
            }
            else
            {
                yield return path;
            }
        }
    }
}
