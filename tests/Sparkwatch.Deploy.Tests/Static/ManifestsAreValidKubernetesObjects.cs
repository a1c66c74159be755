using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>The plain manifests and the rendered chart pass the strict Kubernetes object check.</summary>
public sealed class ManifestsAreValidKubernetesObjects
{
    [Fact]
    public void Plain_manifests_are_valid_and_bring_up_collectors_and_query_replicas()
    {
        var objects = DeployFiles.Manifests(DeployFiles.K8s);

        AssertValid(objects);
        var collector = objects.OfKind("Deployment").Single(d => d.Str("metadata.name") == "sparkwatch-collector");
        Assert.True(int.Parse(collector.Str("spec.replicas")!) >= 2);
        Assert.Equal("5000", objects.OfKind("Service").Single(s => s.Str("metadata.name") == "sparkwatch-collector").Items("spec.ports").Single().Str("port"));
        Assert.Equal(["Namespace", "ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget"], objects.Select(o => o.Str("kind")!).Distinct());
    }

    [Fact]
    public void Sqlite_flavour_is_one_stateful_replica_with_a_volume()
    {
        var objects = DeployFiles.Manifests(Path.Combine(DeployFiles.K8s, "sqlite"));

        AssertValid(objects);
        var set = objects.OfKind("StatefulSet").Single();
        Assert.Equal("1", set.Str("spec.replicas"));
        Assert.Equal("data", set.Items("spec.volumeClaimTemplates").Single().Str("metadata.name"));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public void Rendered_chart_is_valid(string storageType)
    {
        AssertValid(DeployFiles.RenderChart("sparkwatch", storageType));
    }

    [Fact]
    public void A_broken_manifest_is_caught()
    {
        var objects = DeployFiles.Manifests(DeployFiles.K8s);
        var service = objects.OfKind("Service").First();
        ((YamlScalarNode)service.Items("spec.ports").Single().At("targetPort")!).Value = "metrics";

        Assert.Contains(KubernetesObjects.Problems(objects), p => p.Contains("targetPort 'metrics'"));
    }

    private static void AssertValid(List<YamlMappingNode> objects)
    {
        Assert.NotEmpty(objects);
        var problems = KubernetesObjects.Problems(objects);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
