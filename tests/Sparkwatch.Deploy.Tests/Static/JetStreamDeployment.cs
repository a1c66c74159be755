using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>
/// The JetStream flavour (<c>broker.kind=nats</c>; deploy/k8s/jetstream): collectors publish, a writer Deployment
/// stores, a NATS StatefulSet with file storage sits between them unless an existing NATS is named; sink Deployments
/// render from the <c>sinks</c> list.
/// </summary>
public sealed class JetStreamDeployment
{
    public static TheoryData<string> Flavours => ["k8s/jetstream", "chart/jetstream"];

    [Theory]
    [MemberData(nameof(Flavours))]
    public void Collectors_publish_to_nats_and_writers_store(string flavour)
    {
        var objects = Objects(flavour);
        var config = objects.OfKind("ConfigMap").Single(c => c.Str("metadata.name") == "sparkwatch-config");
        var nats = objects.OfKind("StatefulSet").Single(s => s.Str("metadata.name") == "sparkwatch-nats");
        var writer = objects.OfKind("Deployment").Single(d => d.Str("metadata.name") == "sparkwatch-writer");

        Assert.Empty(KubernetesObjects.Problems(objects));
        Assert.Equal("nats", config.Str("data.Sparkwatch__Broker__Kind"));
        Assert.Equal("nats://sparkwatch-nats:4222", config.Str("data.Sparkwatch__Broker__Url"));
        Assert.Contains(objects.OfKind("Service"), s => s.Str("metadata.name") == "sparkwatch-nats" && s.Items("spec.ports").Any(p => p.Str("port") == "4222"));
        Assert.Equal("jetstream", nats.Items("spec.volumeClaimTemplates").Single().Str("metadata.name"));
        Assert.Contains("store_dir: /data/jetstream", NatsConf(objects));
        Assert.Equal("writer", Role(writer));
        Assert.True(int.Parse(writer.Str("spec.replicas")!) >= 2);
        Assert.Equal("collector", Role(objects.OfKind("Deployment").Single(d => d.Str("metadata.name") == "sparkwatch-collector")));
        // The outside world reaches the collectors, never NATS: only the collector Service is behind the Ingress.
        Assert.DoesNotContain(objects.OfKind("Ingress").SelectMany(i => i.Items("spec.rules")), r => r.Items("http.paths").Any(p => p.Str("backend.service.name") == "sparkwatch-nats"));
    }

    [Fact]
    public void An_existing_nats_replaces_the_charts_own()
    {
        var objects = DeployFiles.RenderChart("sparkwatch", "postgres", ("broker.kind", "nats"), ("broker.url", "nats://nats.messaging:4222"));

        Assert.Empty(KubernetesObjects.Problems(objects));
        Assert.Equal("nats://nats.messaging:4222", objects.OfKind("ConfigMap").Single(c => c.Str("metadata.name") == "sparkwatch-config").Str("data.Sparkwatch__Broker__Url"));
        Assert.DoesNotContain(objects, o => o.Str("metadata.name")!.StartsWith("sparkwatch-nats", StringComparison.Ordinal));
        Assert.Contains(objects.OfKind("Deployment"), d => d.Str("metadata.name") == "sparkwatch-writer");
    }

    [Fact]
    public void A_clustered_nats_is_three_servers_routed_to_each_other()
    {
        var objects = DeployFiles.RenderChart("sparkwatch", "postgres", ("broker.kind", "nats"), ("broker.nats.clustered", "true"));

        Assert.Empty(KubernetesObjects.Problems(objects));
        Assert.Equal("3", objects.OfKind("StatefulSet").Single().Str("spec.replicas"));
        Assert.Contains("nats://sparkwatch-nats-2.sparkwatch-nats-cluster:6222", NatsConf(objects));
    }

    [Fact]
    public void Without_a_broker_there_is_no_nats_and_no_writer()
    {
        var objects = DeployFiles.RenderChart("sparkwatch");

        Assert.DoesNotContain(objects, o => o.Str("metadata.name") is "sparkwatch-writer" or "sparkwatch-nats");
        Assert.Null(objects.OfKind("ConfigMap").Single().Str("data.Sparkwatch__Broker__Kind"));
    }

    [Fact]
    public void Each_listed_sink_gets_a_deployment_running_its_role()
    {
        var values = DeployFiles.Values();
        ((YamlMappingNode)values).Children[new YamlScalarNode("sinks")] = new YamlSequenceNode(new YamlScalarNode("archive"), new YamlScalarNode("search"));
        var renderer = new ChartRenderer(values, "sparkwatch", "sparkwatch", DeployFiles.ChartYaml());
        var objects = DeployFiles.TemplateFiles().Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)).SelectMany(f => Yaml.Documents(renderer.Render(File.ReadAllText(f)))).ToList();

        Assert.Empty(KubernetesObjects.Problems(objects));
        var sinks = objects.OfKind("Deployment").Where(d => d.Str("metadata.name")!.StartsWith("sparkwatch-sink-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["sparkwatch-sink-archive", "sparkwatch-sink-search"], sinks.Select(d => d.Str("metadata.name")));
        Assert.Equal(["sink:archive", "sink:search"], sinks.Select(Role));
        Assert.DoesNotContain(DeployFiles.RenderChart("sparkwatch"), o => o.Str("metadata.name")!.Contains("-sink-", StringComparison.Ordinal));
    }

    private static string NatsConf(List<YamlMappingNode> objects) =>
        ((YamlScalarNode)((YamlMappingNode)objects.OfKind("ConfigMap").Single(c => c.Str("metadata.name") == "sparkwatch-nats").At("data")!).Children[new YamlScalarNode("nats.conf")]).Value!;

    private static string? Role(YamlMappingNode workload) =>
        workload.Items("spec.template.spec.containers").Single().Items("env").Single(e => e.Str("name") == "Sparkwatch__Roles__0").Str("value");

    private static List<YamlMappingNode> Objects(string flavour) => flavour == "k8s/jetstream"
        ? DeployFiles.Manifests(Path.Combine(DeployFiles.K8s, "jetstream"))
        : DeployFiles.RenderJetStreamChart();
}
