using System.Globalization;
using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Resource profiles (Spark's onResourceProfileAdded) and what an executor of a profile can run at once.</summary>
internal static class ResourceProfileProjection
{
    public static void Added(RunScope run, JsonElement e)
    {
        var id = e.Int("Resource Profile Id");
        var profile = run.Session.Get(Key(run, id), () => new ResourceProfileRow { Id = id });
        profile.ExecutorResources = [.. Requests(e, "Executor Resource Requests").Select(r => new ExecutorResourceRow
        {
            Key = r.Key, ResourceName = r.Value.Str("Resource Name") ?? r.Key, Amount = r.Value.Long("Amount"),
            DiscoveryScript = r.Value.Str("Discovery Script") ?? "", Vendor = r.Value.Str("Vendor") ?? "",
        })];
        profile.TaskResources = [.. Requests(e, "Task Resource Requests").Select(r => new TaskResourceRow
        {
            Key = r.Key, ResourceName = r.Value.Str("Resource Name") ?? r.Key,
            Amount = r.Value.Double("Amount"),
        })];
    }

    /// <summary>CPUs a task of the profile takes: its <c>cpus</c> task request, else <c>spark.task.cpus</c> (as Spark's onExecutorAdded).</summary>
    public static int CpusPerTask(RunScope run, int profileId)
    {
        var cpus = run.Session.Find<ResourceProfileRow>(Key(run, profileId))?.TaskResources.FirstOrDefault(r => r.Key == "cpus")?.Amount;
        return Math.Max(1, cpus is { } c ? (int)c : run.Attempt.DefaultCpusPerTask);
    }

    private static IEnumerable<KeyValuePair<string, JsonElement>> Requests(JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Object } o ? o.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value)) : [];

    private static ModelKey Key(RunScope run, int id) => run.Key(ModelKind.ResourceProfile, id.ToString(CultureInfo.InvariantCulture));
}
