using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Miscellaneous processes such as YARN's application master (Spark's onMiscellaneousProcessAdded): the first report of a process id wins.</summary>
internal static class MiscProcessProjection
{
    public static void Added(RunScope run, JsonElement e)
    {
        var id = e.Str("processId") ?? "";
        var key = run.Key(ModelKind.MiscProcess, id);
        if (run.Session.Find<MiscProcessRow>(key) is not null) return;
        var info = e.Prop("info");
        var process = run.Session.Get(key, () => new MiscProcessRow { Id = id });
        process.AddTime = e.Long("time");
        process.HostPort = info.Str("hostPort") ?? "";
        process.TotalCores = info.Int("cores");
        process.ProcessLogs = info.StringMap("logUrlInfo");
        process.IsActive = true;
    }
}
