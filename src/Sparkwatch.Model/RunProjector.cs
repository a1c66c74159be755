using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>
/// Folds one Spark event into the run's model rows, following the rules of Spark's <c>AppStatusListener</c>: which event
/// moves which state, how killed/failed/skipped are counted, how peaks and accumulables fold. O(1) rows touched per
/// event (a task event: its task, stage attempt, the stage's jobs, its executor).
/// <para>
/// Each event arrives once (the store hands over only newly stored events) but payloads may arrive out of order. Task
/// counters therefore move on the task row's own transitions (first sighting, start, end) rather than on the event
/// kind, so a TaskEnd before its TaskStart counts once and leaves no task "active"; rows another event should have
/// created first (a stage, an executor) are created on demand and completed when that event comes.
/// </para>
/// <para>
/// Application attempts are numbered by the model in arrival order: an ApplicationStart (or an event log's LogStart)
/// after a started attempt opens the next, and so do the events a driver sends before its start (environment, block
/// manager, resource profile) once the current attempt has ended. Events of two attempts interleaved out of order would
/// be attributed to the wrong attempt (the listener and the importers send each attempt in order).
/// </para>
/// </summary>
public static class RunProjector
{
    private const string SchedulerPrefix = "org.apache.spark.scheduler.";

    /// <summary>How every model reader parses a stored event: the depth limit of ingest.</summary>
    internal static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = Json.MaxDepth };

    /// <summary>An event's type as the rules name it: Spark's scheduler events sometimes carry their package.</summary>
    internal static string ShortName(string eventType) =>
        eventType.StartsWith(SchedulerPrefix, StringComparison.Ordinal) ? eventType[SchedulerPrefix.Length..] : eventType;

    /// <summary>Applies one event (its stored JSON) to the run <paramref name="runPk"/>. Events the model does not use are ignored.</summary>
    public static void Apply(ModelSession session, long runPk, ReadOnlyMemory<byte> eventJson)
    {
        JsonDocument document;
        try
        {
            // Parsed in place (no copy of the event): the caller's bytes outlive the document.
            document = JsonDocument.Parse(eventJson, DocumentOptions);
        }
        catch (JsonException)
        {
            return; // Stored events are valid JSON; a corrupt one cannot move the model.
        }
        using (document)
        {
            var e = document.RootElement;
            var name = e.Str("Event");
            if (name is null) return;
            name = ShortName(name);
            var run = new RunScope(session, runPk, AttemptFor(session, runPk, name));
            try
            {
                Dispatch(run, name, e);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // An event holding values no rule expected is skipped like a corrupt one: reads catch a run's model up
                // before they answer, so one such event must neither stop the run's model nor fail its every read.
            }
        }
    }

    private static int AttemptFor(ModelSession session, long runPk, string eventName)
    {
        var state = session.Get(new ModelKey(runPk, 0, ModelKind.RunState, ""), () => new RunStateRow());
        var isStart = eventName == "SparkListenerApplicationStart";
        // What a new driver sends before its application start; after an end it belongs to the next attempt. Anything
        // else after an end (a late payload of the ended attempt) stays with it.
        var precedesStart = eventName is "SparkListenerLogStart" or "SparkListenerEnvironmentUpdate" or "SparkListenerBlockManagerAdded" or "SparkListenerResourceProfileAdded";
        var opensAttempt = state.CurrentAttempt == 0
            || (isStart && state.CurrentStarted)
            || (precedesStart && state.CurrentEnded)
            || (eventName == "SparkListenerLogStart" && state.CurrentStarted);
        if (opensAttempt)
        {
            state.CurrentAttempt = ++state.AttemptCount;
            state.CurrentStarted = false;
            state.CurrentEnded = false;
        }
        if (isStart) state.CurrentStarted = true;
        if (eventName == "SparkListenerApplicationEnd") state.CurrentEnded = true;
        return state.CurrentAttempt;
    }

    private static void Dispatch(RunScope run, string name, JsonElement e)
    {
        switch (name)
        {
            case "SparkListenerLogStart": run.Attempt.SparkVersion = e.Str("Spark Version"); break;
            case "SparkListenerApplicationStart": ApplicationStart(run, e); break;
            case "SparkListenerApplicationEnd": ApplicationEnd(run, e); break;
            case "SparkListenerEnvironmentUpdate": EnvironmentUpdate(run, e); break;
            case "SparkListenerExecutorAdded": ExecutorAdded(run, e); break;
            case "SparkListenerExecutorRemoved":
                RddProjection.ExecutorRemoved(run, e);
                ExecutorRemoved(run, e);
                break;
            case "SparkListenerBlockManagerAdded": BlockManagerAdded(run, e); break;
            case "SparkListenerExecutorBlacklisted" or "SparkListenerExecutorExcluded":
                ExecutorExcluded(run, e.ExecutorId("executorId"), true); break;
            case "SparkListenerExecutorUnblacklisted" or "SparkListenerExecutorUnexcluded":
                ExecutorExcluded(run, e.ExecutorId("executorId"), false); break;
            case "SparkListenerNodeBlacklisted" or "SparkListenerNodeExcluded": NodeExcluded(run, e, true); break;
            case "SparkListenerNodeUnblacklisted" or "SparkListenerNodeUnexcluded": NodeExcluded(run, e, false); break;
            case "SparkListenerExecutorBlacklistedForStage" or "SparkListenerExecutorExcludedForStage":
                ExcludedForStage(run, e, [e.ExecutorId("executorId") ?? ""]); break;
            case "SparkListenerNodeBlacklistedForStage" or "SparkListenerNodeExcludedForStage":
                var host = e.Str("hostId") ?? e.Str("nodeId");
                ExcludedForStage(run, e, [.. run.Attempt.ExecutorHosts.Where(h => h.Value == host && h.Key != "driver").Select(h => h.Key)]);
                break;
            case "SparkListenerJobStart":
                JobProjection.Start(run, e);
                SqlProjection.JobStarted(run, e);
                SqlMetricsProjection.JobStarted(run, e);
                break;
            case "SparkListenerJobEnd": JobProjection.End(run, e); break;
            case "SparkListenerStageSubmitted":
                StageProjection.Submitted(run, e);
                RddProjection.StageSubmitted(run, e);
                SqlMetricsProjection.StageSubmitted(run, e);
                break;
            case "SparkListenerStageCompleted": StageProjection.Completed(run, e); break;
            case "SparkListenerTaskStart": TaskProjection.Start(run, e); break;
            case "SparkListenerTaskGettingResult": TaskProjection.GettingResult(run, e); break;
            case "SparkListenerTaskEnd":
                SqlMetricsProjection.TaskEnded(run, e); // before the stage marks the index done: that tells a first success from a redelivery
                TaskProjection.End(run, e);
                break;
            case "SparkListenerStageExecutorMetrics": StageProjection.ExecutorMetrics(run, e); break;
            case "SparkListenerBlockUpdated": RddProjection.BlockUpdated(run, e); break;
            case "SparkListenerUnpersistRDD": RddProjection.Unpersisted(run, e); break;
            case "SparkListenerResourceProfileAdded": ResourceProfileProjection.Added(run, e); break;
            case "SparkListenerMiscellaneousProcessAdded": MiscProcessProjection.Added(run, e); break;
            case SqlProjection.Start: SqlProjection.Started(run, e); break;
            case SqlProjection.End: SqlProjection.Ended(run, e); break;
            case SqlProjection.AdaptiveUpdate: SqlProjection.PlanUpdated(run, e); break;
            case SqlMetricsProjection.DriverAccumUpdates: SqlMetricsProjection.DriverUpdates(run, e); break;
        }
    }

    private static void ApplicationStart(RunScope run, JsonElement e)
    {
        var a = run.Attempt;
        a.AppId = e.Str("App ID") ?? a.AppId;
        a.AppName = e.Str("App Name") ?? a.AppName;
        a.AttemptId = e.Str("App Attempt ID");
        a.StartTime = e.LongOrNull("Timestamp");
        a.SparkUser = e.Str("User");
        if (e.Prop("Driver Logs").ValueKind == JsonValueKind.Object)
        {
            var driver = run.Executor("driver");
            driver.ExecutorLogs = e.StringMap("Driver Logs");
            driver.Attributes = e.StringMap("Driver Attributes");
        }
    }

    private static void ApplicationEnd(RunScope run, JsonElement e)
    {
        var a = run.Attempt;
        a.EndTime = e.LongOrNull("Timestamp");
        // Spark's History Server reports the driver's task time as the application's duration.
        if (a.StartTime is { } start && a.EndTime is { } end && run.FindExecutor("driver") is { } driver) driver.TotalDuration = end - start;
    }

    private static void EnvironmentUpdate(RunScope run, JsonElement e)
    {
        var env = run.Session.Get(run.Key(ModelKind.Environment, ""), () => new EnvironmentRow());
        var jvm = e.Prop("JVM Information");
        env.JavaVersion = jvm.Str("Java Version");
        env.JavaHome = jvm.Str("Java Home");
        env.ScalaVersion = jvm.Str("Scala Version");
        env.SparkProperties = Pairs(e, "Spark Properties");
        env.HadoopProperties = Pairs(e, "Hadoop Properties");
        env.SystemProperties = Pairs(e, "System Properties");
        env.MetricsProperties = Pairs(e, "Metrics Properties");
        env.ClasspathEntries = Pairs(e, "Classpath Entries");
        var cpus = env.SparkProperties.FirstOrDefault(p => p[0] == "spark.task.cpus");
        if (cpus is not null && int.TryParse(cpus[1], out var n) && n > 0) run.Attempt.DefaultCpusPerTask = n;
    }

    private static List<string[]> Pairs(JsonElement e, string section) => [.. e.StringMap(section).Select(p => new[] { p.Key, p.Value })];

    private static void ExecutorAdded(RunScope run, JsonElement e)
    {
        var id = e.ExecutorId();
        var info = e.Prop("Executor Info");
        var exec = run.Executor(id, e.Long("Timestamp"));
        exec.Host = info.Str("Host") ?? exec.Host;
        exec.IsActive = true;
        exec.TotalCores = info.Int("Total Cores");
        exec.MaxTasks = exec.TotalCores / ResourceProfileProjection.CpusPerTask(run, info.Int("Resource Profile Id"));
        exec.ExecutorLogs = info.StringMap("Log Urls");
        exec.Attributes = info.StringMap("Attributes");
        exec.ResourcesJson = info.Prop("Resources") is { ValueKind: JsonValueKind.Object } r ? ResourcesJson(r) : "{}";
        exec.ResourceProfileId = info.Int("Resource Profile Id");
        run.Attempt.ExecutorHosts[id] = exec.Host;
    }

    // Spark's ResourceInformation JSON: {"name": {"name": ..., "addresses": [...]}}.
    private static string ResourcesJson(JsonElement resources)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var r in resources.EnumerateObject())
            {
                w.WriteStartObject(r.Name);
                w.WriteString("name", r.Value.Str("name") ?? r.Name);
                w.WriteStartArray("addresses");
                foreach (var address in r.Value.Items("addresses")) w.WriteStringValue(address.Text());
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void ExecutorRemoved(RunScope run, JsonElement e)
    {
        var exec = run.Executor(e.ExecutorId());
        exec.IsActive = false;
        exec.RemoveTime = e.LongOrNull("Timestamp");
        exec.RemoveReason = e.Str("Removed Reason");
    }

    private static void BlockManagerAdded(RunScope run, JsonElement e)
    {
        var id = e.Prop("Block Manager ID");
        var executorId = id.ExecutorId();
        var exec = run.Executor(executorId, e.Long("Timestamp"));
        var host = id.Str("Host") ?? "";
        exec.HostPort = $"{host}:{id.Long("Port")}";
        if (exec.Host.Length == 0) exec.Host = host;
        if (e.LongOrNull("Maximum Onheap Memory") is { } onHeap)
        {
            exec.HasMemoryInfo = true;
            exec.TotalOnHeap = onHeap;
            exec.TotalOffHeap = e.Long("Maximum Offheap Memory");
            exec.UsedOnHeap = 0;
            exec.UsedOffHeap = 0;
        }
        exec.IsActive = true;
        exec.MaxMemory = e.Long("Maximum Memory");
        run.Attempt.ExecutorHosts[executorId] = exec.Host;
    }

    private static void ExecutorExcluded(RunScope run, string? executorId, bool excluded)
    {
        if (executorId is not null && run.FindExecutor(executorId) is { } exec) exec.IsExcluded = excluded;
    }

    private static void NodeExcluded(RunScope run, JsonElement e, bool excluded)
    {
        var host = e.Str("hostId") ?? e.Str("nodeId");
        foreach (var (id, execHost) in run.Attempt.ExecutorHosts)
        {
            if (execHost == host && id != "driver") ExecutorExcluded(run, id, excluded);
        }
    }

    private static void ExcludedForStage(RunScope run, JsonElement e, string[] executorIds)
    {
        var stageId = e.Int("stageId");
        var stage = run.FindStage(stageId, e.Int("stageAttemptId"));
        foreach (var id in executorIds)
        {
            if (stage is not null) StageProjection.ExecutorSummary(stage, id).IsExcluded = true;
            run.FindExecutor(id)?.ExcludedInStages.Add(stageId);
        }
    }
}
