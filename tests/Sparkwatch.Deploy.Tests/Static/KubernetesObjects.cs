using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sparkwatch.Deploy.Tests.Static;

/// <summary>
/// A strict structural check of a set of Kubernetes objects, standing in for the API server's validation: known
/// apiVersion/kind pairs, no unknown fields where it matters, required fields per kind, integers where Kubernetes
/// wants integers, and references that resolve inside the set (selectors, named ports, volumes, config, services).
/// Returns every problem found.
/// </summary>
public static partial class KubernetesObjects
{
    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["Namespace"] = "v1", ["ConfigMap"] = "v1", ["Secret"] = "v1", ["Service"] = "v1", ["Deployment"] = "apps/v1",
        ["StatefulSet"] = "apps/v1", ["PodDisruptionBudget"] = "policy/v1", ["Ingress"] = "networking.k8s.io/v1",
    };

    private static readonly Dictionary<string, string[]> TopLevel = new()
    {
        ["Namespace"] = ["spec"], ["ConfigMap"] = ["data"], ["Secret"] = ["type", "data", "stringData"], ["Service"] = ["spec"],
        ["Deployment"] = ["spec"], ["StatefulSet"] = ["spec"], ["PodDisruptionBudget"] = ["spec"], ["Ingress"] = ["spec"],
    };

    private static readonly string[] ContainerFields =
        ["name", "image", "imagePullPolicy", "env", "envFrom", "ports", "livenessProbe", "readinessProbe", "startupProbe", "resources", "securityContext", "volumeMounts", "args", "command"];

    public static List<string> Problems(IReadOnlyList<YamlMappingNode> objects)
    {
        var problems = new List<string>();
        foreach (var o in objects) problems.AddRange(Check(o, objects).Select(p => $"{o.Str("kind")}/{o.Str("metadata.name")}: {p}"));
        return problems;
    }

    public static IEnumerable<YamlMappingNode> OfKind(this IEnumerable<YamlMappingNode> objects, params string[] kinds) =>
        objects.Where(o => kinds.Contains(o.Str("kind")));

    private static IEnumerable<string> Check(YamlMappingNode o, IReadOnlyList<YamlMappingNode> all)
    {
        var kind = o.Str("kind") ?? "";
        if (!Kinds.TryGetValue(kind, out var apiVersion)) { yield return $"unknown kind '{kind}'"; yield break; }
        if (o.Str("apiVersion") != apiVersion) yield return $"apiVersion must be {apiVersion}, not {o.Str("apiVersion")}";
        foreach (var key in Keys(o).Except(["apiVersion", "kind", "metadata", .. TopLevel[kind]])) yield return $"unknown field '{key}'";
        var name = o.Str("metadata.name");
        if (name is null || !DnsLabel().IsMatch(name)) yield return $"metadata.name '{name}' is not a DNS-1123 label";
        foreach (var key in Keys(o.Map("metadata")).Except(["name", "namespace", "labels", "annotations"])) yield return $"unknown metadata field '{key}'";
        if (kind != "Namespace" && o.Str("metadata.namespace") is null) yield return "metadata.namespace is missing";
        var problems = kind switch
        {
            "Deployment" or "StatefulSet" => Workload(o, kind, all),
            "Service" => Service(o, all),
            "PodDisruptionBudget" => Budget(o, all),
            "Ingress" => Ingress(o, all),
            "ConfigMap" => Strings(o, "data"),
            "Secret" => Strings(o, "stringData"),
            _ => [],
        };
        foreach (var problem in problems) yield return problem;
    }

    private static IEnumerable<string> Workload(YamlMappingNode o, string kind, IReadOnlyList<YamlMappingNode> all)
    {
        foreach (var key in Keys(o.Map("spec")).Except(["replicas", "selector", "template", "strategy", "serviceName", "volumeClaimTemplates", "podManagementPolicy"])) yield return $"unknown spec field '{key}'";
        if (!IsInt(o.At("spec.replicas"))) yield return "spec.replicas must be an integer";
        var selector = o.Labels("spec.selector.matchLabels");
        var podLabels = o.Labels("spec.template.metadata.labels");
        if (selector.Count == 0 || selector.Any(l => !podLabels.TryGetValue(l.Key, out var v) || v != l.Value)) yield return "spec.selector.matchLabels must select the pod template's labels";
        if (kind == "StatefulSet" && all.OfKind("Service").All(s => s.Str("metadata.name") != o.Str("spec.serviceName"))) yield return "spec.serviceName names no Service";
        var volumes = o.Items("spec.template.spec.volumes").Concat(o.Items("spec.volumeClaimTemplates").Select(v => v.Map("metadata"))).Select(v => v.Str("name")).ToHashSet();
        var containers = o.Items("spec.template.spec.containers").ToList();
        if (containers.Count == 0) yield return "no containers";
        foreach (var c in containers)
        {
            foreach (var key in Keys(c).Except(ContainerFields)) yield return $"unknown container field '{key}'";
            if (string.IsNullOrEmpty(c.Str("name")) || string.IsNullOrEmpty(c.Str("image"))) yield return "a container needs a name and an image";
            var portNames = new HashSet<string>();
            foreach (var p in c.Items("ports"))
            {
                if (!IsInt(p.At("containerPort"))) yield return "containerPort must be an integer";
                if (p.Str("name") is { } pn && (pn.Length > 15 || !portNames.Add(pn))) yield return $"bad or repeated port name '{pn}'";
            }
            foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
            {
                if (c.At(probe) is null) { yield return $"{probe} is missing"; continue; }
                if (c.Str(probe + ".httpGet.path") is not { } path || !path.StartsWith('/')) yield return $"{probe}.httpGet.path must start with /";
                var port = c.At(probe + ".httpGet.port") as YamlScalarNode;
                if (port is null || (!IsInt(port) && !portNames.Contains(port.Value!))) yield return $"{probe} port '{port?.Value}' is no container port";
            }
            if (c.At("resources.requests") is null || c.At("resources.limits") is null) yield return "resources.requests and resources.limits are required";
            foreach (var mount in c.Items("volumeMounts")) if (!volumes.Contains(mount.Str("name"))) yield return $"volumeMount '{mount.Str("name")}' names no volume";
            foreach (var variable in c.Items("env").Where(e => e.At("valueFrom.secretKeyRef") is not null && e.Str("valueFrom.secretKeyRef.optional") != "true"))
            {
                var (secretName, key) = (variable.Str("valueFrom.secretKeyRef.name"), variable.Str("valueFrom.secretKeyRef.key"));
                var secret = all.OfKind("Secret").FirstOrDefault(s => s.Str("metadata.name") == secretName && s.Str("metadata.namespace") == o.Str("metadata.namespace"));
                if (secret is null) yield return $"env {variable.Str("name")} names no Secret '{secretName}' in its namespace";
                else if (secret.At("stringData." + key) is null && secret.At("data." + key) is null) yield return $"env {variable.Str("name")} names no key '{key}' of Secret '{secretName}'";
            }
            foreach (var source in c.Items("envFrom"))
            {
                var (refKind, refName) = source.At("configMapRef") is not null ? ("ConfigMap", source.Str("configMapRef.name")) : ("Secret", source.Str("secretRef.name"));
                if (!all.OfKind(refKind).Any(x => x.Str("metadata.name") == refName)) yield return $"envFrom names no {refKind} '{refName}'";
            }
        }
    }

    private static IEnumerable<string> Service(YamlMappingNode o, IReadOnlyList<YamlMappingNode> all)
    {
        var selector = o.Labels("spec.selector");
        var targets = all.OfKind("Deployment", "StatefulSet").Where(w => selector.Count > 0 && selector.All(l => w.Labels("spec.template.metadata.labels").GetValueOrDefault(l.Key) == l.Value)).ToList();
        if (targets.Count == 0) yield return "spec.selector selects no workload";
        foreach (var p in o.Items("spec.ports"))
        {
            if (!IsInt(p.At("port"))) yield return "port must be an integer";
            var target = p.Str("targetPort");
            var named = targets.SelectMany(t => t.Items("spec.template.spec.containers")).SelectMany(c => c.Items("ports")).Any(cp => cp.Str("name") == target);
            if (!named && !IsInt(p.At("targetPort"))) yield return $"targetPort '{target}' is no container port of the selected pods";
        }
    }

    private static IEnumerable<string> Budget(YamlMappingNode o, IReadOnlyList<YamlMappingNode> all)
    {
        if (o.At("spec.minAvailable") is null && o.At("spec.maxUnavailable") is null) yield return "minAvailable or maxUnavailable is required";
        var selector = o.Labels("spec.selector.matchLabels");
        if (!all.OfKind("Deployment", "StatefulSet").Any(w => selector.Count > 0 && selector.All(l => w.Labels("spec.template.metadata.labels").GetValueOrDefault(l.Key) == l.Value)))
        {
            yield return "spec.selector selects no workload";
        }
    }

    private static IEnumerable<string> Ingress(YamlMappingNode o, IReadOnlyList<YamlMappingNode> all)
    {
        foreach (var rule in o.Items("spec.rules"))
        {
            foreach (var path in rule.Items("http.paths"))
            {
                if (path.Str("pathType") is not ("Prefix" or "Exact" or "ImplementationSpecific")) yield return "pathType must be Prefix, Exact or ImplementationSpecific";
                var service = all.OfKind("Service").FirstOrDefault(s => s.Str("metadata.name") == path.Str("backend.service.name"));
                if (service is null || service.Items("spec.ports").All(p => p.Str("name") != path.Str("backend.service.port.name"))) yield return $"backend {path.Str("backend.service.name")} is no Service port";
            }
        }
    }

    private static IEnumerable<string> Strings(YamlMappingNode o, string field) =>
        (o.At(field) as YamlMappingNode)?.Children.Values.Where(v => v is not YamlScalarNode).Select(_ => $"{field} values must be strings") ?? [];

    private static IEnumerable<string> Keys(YamlMappingNode map) => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    private static bool IsInt(YamlNode? node) => node is YamlScalarNode { Style: ScalarStyle.Plain } s && int.TryParse(s.Value, out _);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
