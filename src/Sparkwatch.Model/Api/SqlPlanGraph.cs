using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>
/// A SQL execution's plan graph, built from its <c>sparkPlanInfo</c> as Spark's SparkPlanGraph builds it: nodes numbered
/// depth first, a WholeStageCodegen node a cluster of the nodes under it, InputAdapter and query stages passed through,
/// a reused exchange or subquery an edge to the one it reuses.
/// </summary>
internal sealed class SqlPlanGraph
{
    private const string WholeStageCodegen = "WholeStageCodegen";

    private long _nextId;
    private readonly Dictionary<string, long> _exchanges = new(StringComparer.Ordinal);

    /// <summary>Every node: its id, name, the WholeStageCodegen id of the cluster it is in and its metrics.</summary>
    public List<(long Id, string Name, long? CodegenId, IReadOnlyList<PlanMetric> Metrics)> Nodes { get; } = [];

    /// <summary>Edges from child to parent.</summary>
    public List<(long From, long To)> Edges { get; } = [];

    public static SqlPlanGraph Build(string planJson)
    {
        var graph = new SqlPlanGraph();
        using var plan = JsonDocument.Parse(planJson, new JsonDocumentOptions { MaxDepth = Json.MaxDepth });
        if (plan.RootElement.Str("nodeName") is not null) graph.Add(plan.RootElement, parent: null, codegenId: null, inCluster: false);
        return graph;
    }

    private void Add(JsonElement plan, long? parent, long? codegenId, bool inCluster)
    {
        var name = plan.Str("nodeName") ?? "";
        var firstChild = plan.Items("children").FirstOrDefault();
        switch (name)
        {
            case var _ when name.StartsWith(WholeStageCodegen, StringComparison.Ordinal):
                var clusterId = _nextId++;
                Nodes.Add((clusterId, name.Trim(), null, Metrics(plan)));
                if (firstChild.ValueKind == JsonValueKind.Object) Add(firstChild, parent, CodegenIdOf(name.Trim()), inCluster: true);
                return;
            case "InputAdapter":
                if (firstChild.ValueKind == JsonValueKind.Object) Add(firstChild, parent, null, inCluster: false);
                return;
            case "BroadcastQueryStage" or "ShuffleQueryStage" or "TableCacheQueryStage":
                if (firstChild.ValueKind != JsonValueKind.Object) return;
                if (_exchanges.TryGetValue(Identity(firstChild), out var staged)) AddEdge(staged, parent);
                else Add(firstChild, parent, null, inCluster: false);
                return;
            case "Subquery" or "SubqueryBroadcast" when inCluster:
                // A subquery is never part of a WholeStageCodegen cluster.
                Add(plan, parent, null, inCluster: false);
                return;
            case "Subquery" or "SubqueryBroadcast" when _exchanges.TryGetValue(Identity(plan), out var subquery):
                AddEdge(subquery, parent);
                return;
            case "ReusedSubquery":
                if (firstChild.ValueKind == JsonValueKind.Object) Add(firstChild, parent, codegenId, inCluster);
                return;
            case "ReusedExchange" when firstChild.ValueKind == JsonValueKind.Object && _exchanges.TryGetValue(Identity(firstChild), out var reused):
                AddEdge(reused, parent);
                return;
        }
        var id = _nextId++;
        Nodes.Add((id, name.Trim(), inCluster ? codegenId : null, Metrics(plan)));
        if (name.Contains("Exchange", StringComparison.Ordinal) || name is "Subquery" or "SubqueryBroadcast") _exchanges.TryAdd(Identity(plan), id);
        AddEdge(id, parent);
        foreach (var child in plan.Items("children")) Add(child, id, codegenId, inCluster);
    }

    private void AddEdge(long from, long? to)
    {
        if (to is { } parent) Edges.Add((from, parent));
    }

    private static List<PlanMetric> Metrics(JsonElement plan) =>
        [.. plan.Items("metrics").Select(m => new PlanMetric(m.Str("name") ?? "", m.Long("accumulatorId"), m.Str("metricType") ?? "sum"))];

    // SparkPlanInfo's equality: name, simple string and children.
    private static string Identity(JsonElement plan) =>
        $"{plan.Str("nodeName")}\u0000{plan.Str("simpleString")}\u0000{(plan.Prop("children") is { ValueKind: JsonValueKind.Array } c ? c.GetRawText() : "")}";

    // "WholeStageCodegen (3)" → 3.
    private static long? CodegenIdOf(string name) =>
        name.Length > WholeStageCodegen.Length + 2 && long.TryParse(name.AsSpan(WholeStageCodegen.Length + 2, name.Length - WholeStageCodegen.Length - 3), out var id) ? id : null;
}

/// <summary>A metric of a plan node (Spark's SQLPlanMetric): its name, accumulator and type (sum, size, timing, nsTiming, average…).</summary>
/// <param name="Name">The metric's name.</param>
/// <param name="AccumulatorId">The accumulator its values are reported under.</param>
/// <param name="MetricType">How values aggregate and print.</param>
internal sealed record PlanMetric(string Name, long AccumulatorId, string MetricType);
