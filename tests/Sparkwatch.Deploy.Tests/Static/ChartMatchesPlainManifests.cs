using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>The chart, rendered with its defaults, describes the same objects as the plain manifests: names, images,
/// ports, probes, replicas and settings.</summary>
public sealed class ChartMatchesPlainManifests
{
    [Fact]
    public void Postgres_chart_matches_deploy_k8s()
    {
        Assert.Equal(Describe(DeployFiles.Manifests(DeployFiles.K8s)), Describe(DeployFiles.RenderChart("sparkwatch")));
    }

    [Fact]
    public void Sqlite_chart_matches_deploy_k8s_sqlite()
    {
        Assert.Equal(Describe(DeployFiles.Manifests(Path.Combine(DeployFiles.K8s, "sqlite"))), Describe(DeployFiles.RenderChart("sparkwatch-sqlite", "sqlite")));
    }

    [Fact]
    public void Jetstream_chart_matches_deploy_k8s_jetstream()
    {
        Assert.Equal(Describe(DeployFiles.Manifests(Path.Combine(DeployFiles.K8s, "jetstream"))), Describe(DeployFiles.RenderJetStreamChart()));
    }

    [Fact]
    public void Dockerfile_exposes_the_port_and_checks_the_liveness_path_of_the_chart()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Testing.TestPaths.RepositoryRoot, "Dockerfile"));
        var values = DeployFiles.Values();

        Assert.Contains($"EXPOSE {values.Str("port")}", dockerfile);
        Assert.Contains($"/dev/tcp/127.0.0.1/{values.Str("port")}", dockerfile);
        Assert.Contains($"GET {values.Str("probes.liveness.path")} ", dockerfile);
        Assert.Contains("USER $APP_UID", dockerfile);
        Assert.Contains("VOLUME /data", dockerfile);
    }

    // One line per object, of what both must agree on; the Namespace object is the plain manifests' own.
    private static List<string> Describe(IEnumerable<YamlMappingNode> objects) =>
        [.. objects.Where(o => o.Str("kind") != "Namespace").Select(o => string.Join(" ", new[]
        {
            o.Str("kind"), o.Str("metadata.name"), o.Str("metadata.namespace"), o.Str("spec.replicas"), o.Str("spec.minAvailable"),
            string.Join(",", Settings(o)),
            string.Join(",", o.Items("spec.ports").Select(p => $"{p.Str("name")}:{p.Str("port")}->{p.Str("targetPort")}")),
        }.Concat(o.Items("spec.template.spec.containers").Select(c => string.Join(" ",
            c.Str("name"), c.Str("image"), string.Join(",", c.Items("ports").Select(p => $"{p.Str("name")}:{p.Str("containerPort")}")),
            c.Str("livenessProbe.httpGet.path"), c.Str("readinessProbe.httpGet.path"), c.Str("resources.limits.memory"),
            string.Join(",", c.Items("env").Select(e => $"{e.Str("name")}={e.Str("value") ?? SecretKey(e)}")))))))
            .Order(StringComparer.Ordinal)];

    private static string SecretKey(YamlMappingNode variable) =>
        $"secret:{variable.Str("valueFrom.secretKeyRef.name")}/{variable.Str("valueFrom.secretKeyRef.key")}";

    private static IEnumerable<string> Settings(YamlMappingNode o) =>
        new[] { "data", "stringData" }.Select(o.At).OfType<YamlMappingNode>().SelectMany(m => m.Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
}
