using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>Every Sparkwatch container of the plain manifests and of the chart reads its ingest and read keys from a
/// Secret of its namespace, so no deployment listens on all interfaces without keys.</summary>
public sealed class WorkloadsTakeApiKeysFromASecret
{
    public static TheoryData<string> Deployments => ["k8s", "k8s/sqlite", "k8s/jetstream", "chart/postgres", "chart/sqlite", "chart/jetstream"];

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Every_container_reads_both_keys_from_a_secret_that_exists(string deployment)
    {
        var objects = Objects(deployment);
        var containers = objects.OfKind("Deployment", "StatefulSet").SelectMany(w => w.Items("spec.template.spec.containers"))
            .Where(c => c.Str("name") == "sparkwatch").ToList(); // not the NATS server's

        Assert.NotEmpty(containers);
        foreach (var container in containers)
        {
            var fromSecrets = container.Items("env").Where(e => e.At("valueFrom.secretKeyRef") is not null).Select(e => e.Str("name")).ToList();
            Assert.Contains("Sparkwatch__ApiKeys__0", fromSecrets);
            Assert.Contains("Sparkwatch__ReadApiKeys__0", fromSecrets);
        }
        Assert.Empty(KubernetesObjects.Problems(objects));
    }

    [Fact]
    public void A_workload_naming_a_missing_secret_is_caught()
    {
        var objects = DeployFiles.Manifests(DeployFiles.K8s).Where(o => o.Str("metadata.name") != "sparkwatch-api-keys").ToList();

        Assert.Contains(KubernetesObjects.Problems(objects), p => p.Contains("names no Secret 'sparkwatch-api-keys'"));
    }

    private static List<YamlMappingNode> Objects(string deployment) => deployment switch
    {
        "k8s" => DeployFiles.Manifests(DeployFiles.K8s),
        "k8s/sqlite" => DeployFiles.Manifests(Path.Combine(DeployFiles.K8s, "sqlite")),
        "k8s/jetstream" => DeployFiles.Manifests(Path.Combine(DeployFiles.K8s, "jetstream")),
        "chart/jetstream" => DeployFiles.RenderJetStreamChart(),
        "chart/postgres" => DeployFiles.RenderChart("sparkwatch"),
        _ => DeployFiles.RenderChart("sparkwatch-sqlite", "sqlite"),
    };
}
