using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model.Api;

/// <summary>
/// Writes model rows in the JSON of Spark's <c>/api/v1</c> (api.scala's classes): field names, the order Spark declares
/// them in, optional fields left out when Spark has <c>None</c>, dates in Spark's format.
/// </summary>
internal static class SparkJson
{
    public static void Date(this Utf8JsonWriter w, string name, long? epochMs)
    {
        if (epochMs is { } ms) w.WriteString(name, SparkDates.Format(ms));
    }

    public static void OptionalString(this Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    public static void Map(this Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map) w.WriteString(k, v);
        w.WriteEndObject();
    }

    public static void Ints(this Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    public static void Accumulables(Utf8JsonWriter w, IEnumerable<AccumulableRow> accumulables)
    {
        w.WriteStartArray("accumulatorUpdates");
        foreach (var a in accumulables)
        {
            w.WriteStartObject();
            w.WriteNumber("id", a.Id);
            w.WriteString("name", a.Name);
            w.OptionalString("update", a.Update);
            w.WriteString("value", a.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void Peak(Utf8JsonWriter w, string name, PeakMetrics peak)
    {
        if (!peak.IsSet) return;
        w.WriteStartObject(name);
        for (var i = 0; i < PeakMetrics.Names.Length; i++) w.WriteNumber(PeakMetrics.Names[i], peak.Values[i]);
        w.WriteEndObject();
    }

    public static void Job(Utf8JsonWriter w, JobRow j)
    {
        w.WriteStartObject();
        w.WriteNumber("jobId", j.JobId);
        w.WriteString("name", j.Name);
        w.OptionalString("description", j.Description);
        w.Date("submissionTime", j.SubmissionTime);
        w.Date("completionTime", j.CompletionTime);
        w.Ints("stageIds", j.StageIds);
        w.OptionalString("jobGroup", j.JobGroup);
        w.WriteStartArray("jobTags");
        foreach (var tag in j.JobTags) w.WriteStringValue(tag);
        w.WriteEndArray();
        w.WriteString("status", j.Status);
        w.WriteNumber("numTasks", j.NumTasks);
        w.WriteNumber("numActiveTasks", j.ActiveTasks);
        w.WriteNumber("numCompletedTasks", j.CompletedTasks);
        w.WriteNumber("numSkippedTasks", j.SkippedTasks);
        w.WriteNumber("numFailedTasks", j.FailedTasks);
        w.WriteNumber("numKilledTasks", j.KilledTasks);
        w.WriteNumber("numCompletedIndices", j.CompletedIndices);
        w.WriteNumber("numActiveStages", j.ActiveStages);
        w.WriteNumber("numCompletedStages", j.CompletedStages.Count);
        w.WriteNumber("numSkippedStages", j.SkippedStages.Count);
        w.WriteNumber("numFailedStages", j.FailedStages);
        KilledSummary(w, j.KilledSummary);
        w.WriteEndObject();
    }

    private static void KilledSummary(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, int>> summary)
    {
        w.WriteStartObject("killedTasksSummary");
        foreach (var (k, v) in summary) w.WriteNumber(k, v);
        w.WriteEndObject();
    }

    /// <summary>A stage attempt; with <paramref name="tasks"/> (and their executors' logs by executor id) in the detailed form.</summary>
    public static void Stage(Utf8JsonWriter w, StageRow s, IReadOnlyList<TaskRow>? tasks, IReadOnlyDictionary<string, Dictionary<string, string>>? executorLogs,
        Action<Utf8JsonWriter>? taskMetricsDistributions = null)
    {
        var m = s.Metrics;
        w.WriteStartObject();
        w.WriteString("status", s.Status);
        w.WriteNumber("stageId", s.StageId);
        w.WriteNumber("attemptId", s.AttemptId);
        w.WriteNumber("numTasks", s.NumTasks);
        w.WriteNumber("numActiveTasks", s.ActiveTasks);
        w.WriteNumber("numCompleteTasks", s.CompletedTasks);
        w.WriteNumber("numFailedTasks", s.FailedTasks);
        w.WriteNumber("numKilledTasks", s.KilledTasks);
        w.WriteNumber("numCompletedIndices", s.CompletedIndices);
        w.Date("submissionTime", s.SubmissionTime);
        w.Date("firstTaskLaunchedTime", s.FirstLaunchTime);
        w.Date("completionTime", s.CompletionTime);
        w.OptionalString("failureReason", s.FailureReason);
        TimesAndSizes(w, m);
        w.WriteNumber("inputBytes", m.InputBytesRead);
        w.WriteNumber("inputRecords", m.InputRecordsRead);
        w.WriteNumber("outputBytes", m.OutputBytesWritten);
        w.WriteNumber("outputRecords", m.OutputRecordsWritten);
        w.WriteNumber("shuffleRemoteBlocksFetched", m.ShuffleRemoteBlocksFetched);
        w.WriteNumber("shuffleLocalBlocksFetched", m.ShuffleLocalBlocksFetched);
        w.WriteNumber("shuffleFetchWaitTime", m.ShuffleFetchWaitTime);
        w.WriteNumber("shuffleRemoteBytesRead", m.ShuffleRemoteBytesRead);
        w.WriteNumber("shuffleRemoteBytesReadToDisk", m.ShuffleRemoteBytesReadToDisk);
        w.WriteNumber("shuffleLocalBytesRead", m.ShuffleLocalBytesRead);
        w.WriteNumber("shuffleReadBytes", m.ShuffleLocalBytesRead + m.ShuffleRemoteBytesRead);
        w.WriteNumber("shuffleReadRecords", m.ShuffleRecordsRead);
        w.WriteNumber("shuffleCorruptMergedBlockChunks", m.ShuffleCorruptMergedBlockChunks);
        w.WriteNumber("shuffleMergedFetchFallbackCount", m.ShuffleMergedFetchFallbackCount);
        w.WriteNumber("shuffleMergedRemoteBlocksFetched", m.ShuffleMergedRemoteBlocksFetched);
        w.WriteNumber("shuffleMergedLocalBlocksFetched", m.ShuffleMergedLocalBlocksFetched);
        w.WriteNumber("shuffleMergedRemoteChunksFetched", m.ShuffleMergedRemoteChunksFetched);
        w.WriteNumber("shuffleMergedLocalChunksFetched", m.ShuffleMergedLocalChunksFetched);
        w.WriteNumber("shuffleMergedRemoteBytesRead", m.ShuffleMergedRemoteBytesRead);
        w.WriteNumber("shuffleMergedLocalBytesRead", m.ShuffleMergedLocalBytesRead);
        w.WriteNumber("shuffleRemoteReqsDuration", m.ShuffleRemoteReqsDuration);
        w.WriteNumber("shuffleMergedRemoteReqsDuration", m.ShuffleMergedRemoteReqsDuration);
        w.WriteNumber("shuffleWriteBytes", m.ShuffleBytesWritten);
        w.WriteNumber("shuffleWriteTime", m.ShuffleWriteTime);
        w.WriteNumber("shuffleWriteRecords", m.ShuffleRecordsWritten);
        w.WriteString("name", s.Name);
        w.OptionalString("description", s.Description);
        w.WriteString("details", s.Details);
        w.WriteString("schedulingPool", s.SchedulingPool);
        w.Ints("rddIds", s.RddIds);
        Accumulables(w, s.Accumulables);
        if (tasks is not null)
        {
            w.WriteStartObject("tasks");
            foreach (var t in tasks)
            {
                w.WritePropertyName(t.TaskId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Task(w, t, executorLogs);
            }
            w.WriteEndObject();
            w.WriteStartObject("executorSummary");
            foreach (var (id, e) in s.Executors)
            {
                w.WritePropertyName(id);
                ExecutorStageSummary(w, e);
            }
            w.WriteEndObject();
        }
        KilledSummary(w, s.KilledSummary);
        w.WriteNumber("resourceProfileId", s.ResourceProfileId);
        Peak(w, "peakExecutorMetrics", s.Peak);
        taskMetricsDistributions?.Invoke(w);
        w.WriteBoolean("isShufflePushEnabled", s.IsShufflePushEnabled);
        w.WriteNumber("shuffleMergersCount", s.ShuffleMergersCount);
        w.WriteEndObject();
    }

    private static void ExecutorStageSummary(Utf8JsonWriter w, ExecutorStageSummaryRow e)
    {
        var m = e.Metrics;
        w.WriteStartObject();
        w.WriteNumber("taskTime", e.TaskTime);
        w.WriteNumber("failedTasks", e.FailedTasks);
        w.WriteNumber("succeededTasks", e.SucceededTasks);
        w.WriteNumber("killedTasks", e.KilledTasks);
        w.WriteNumber("inputBytes", m.InputBytesRead);
        w.WriteNumber("inputRecords", m.InputRecordsRead);
        w.WriteNumber("outputBytes", m.OutputBytesWritten);
        w.WriteNumber("outputRecords", m.OutputRecordsWritten);
        w.WriteNumber("shuffleRead", m.ShuffleLocalBytesRead + m.ShuffleRemoteBytesRead);
        w.WriteNumber("shuffleReadRecords", m.ShuffleRecordsRead);
        w.WriteNumber("shuffleWrite", m.ShuffleBytesWritten);
        w.WriteNumber("shuffleWriteRecords", m.ShuffleRecordsWritten);
        w.WriteNumber("memoryBytesSpilled", m.MemoryBytesSpilled);
        w.WriteNumber("diskBytesSpilled", m.DiskBytesSpilled);
        w.WriteBoolean("isBlacklistedForStage", e.IsExcluded);
        Peak(w, "peakMemoryMetrics", e.Peak);
        w.WriteBoolean("isExcludedForStage", e.IsExcluded);
        w.WriteEndObject();
    }

    public static void Task(Utf8JsonWriter w, TaskRow t, IReadOnlyDictionary<string, Dictionary<string, string>>? executorLogs)
    {
        w.WriteStartObject();
        w.WriteNumber("taskId", t.TaskId);
        w.WriteNumber("index", t.Index);
        w.WriteNumber("attempt", t.Attempt);
        w.WriteNumber("partitionId", t.PartitionId);
        w.Date("launchTime", t.LaunchTime);
        w.Date("resultFetchStart", t.ResultFetchStart);
        var duration = Durations.Of(t) ?? (t.LaunchTime > 0 ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - t.LaunchTime : null);
        if (duration is { } d) w.WriteNumber("duration", d);
        w.WriteString("executorId", t.ExecutorId);
        w.WriteString("host", t.Host);
        w.WriteString("status", t.Status);
        w.WriteString("taskLocality", t.TaskLocality);
        w.WriteBoolean("speculative", t.Speculative);
        Accumulables(w, t.Accumulables);
        w.OptionalString("errorMessage", t.ErrorMessage);
        if (t.Metrics is { } m) TaskMetricsJson(w, m);
        w.Map("executorLogs", executorLogs?.GetValueOrDefault(t.ExecutorId) ?? []);
        w.WriteNumber("schedulerDelay", Durations.SchedulerDelay(t));
        w.WriteNumber("gettingResultTime", Durations.GettingResultTime(t));
        w.WriteEndObject();
    }

    // The metrics StageData and TaskMetrics both start with, in Spark's order.
    private static void TimesAndSizes(Utf8JsonWriter w, TaskMetrics m)
    {
        w.WriteNumber("executorDeserializeTime", m.ExecutorDeserializeTime);
        w.WriteNumber("executorDeserializeCpuTime", m.ExecutorDeserializeCpuTime);
        w.WriteNumber("executorRunTime", m.ExecutorRunTime);
        w.WriteNumber("executorCpuTime", m.ExecutorCpuTime);
        w.WriteNumber("resultSize", m.ResultSize);
        w.WriteNumber("jvmGcTime", m.JvmGcTime);
        w.WriteNumber("resultSerializationTime", m.ResultSerializationTime);
        w.WriteNumber("memoryBytesSpilled", m.MemoryBytesSpilled);
        w.WriteNumber("diskBytesSpilled", m.DiskBytesSpilled);
        w.WriteNumber("peakExecutionMemory", m.PeakExecutionMemory);
    }

    private static void TaskMetricsJson(Utf8JsonWriter w, TaskMetrics m)
    {
        w.WriteStartObject("taskMetrics");
        TimesAndSizes(w, m);
        w.WriteStartObject("inputMetrics");
        w.WriteNumber("bytesRead", m.InputBytesRead);
        w.WriteNumber("recordsRead", m.InputRecordsRead);
        w.WriteEndObject();
        w.WriteStartObject("outputMetrics");
        w.WriteNumber("bytesWritten", m.OutputBytesWritten);
        w.WriteNumber("recordsWritten", m.OutputRecordsWritten);
        w.WriteEndObject();
        w.WriteStartObject("shuffleReadMetrics");
        w.WriteNumber("remoteBlocksFetched", m.ShuffleRemoteBlocksFetched);
        w.WriteNumber("localBlocksFetched", m.ShuffleLocalBlocksFetched);
        w.WriteNumber("fetchWaitTime", m.ShuffleFetchWaitTime);
        w.WriteNumber("remoteBytesRead", m.ShuffleRemoteBytesRead);
        w.WriteNumber("remoteBytesReadToDisk", m.ShuffleRemoteBytesReadToDisk);
        w.WriteNumber("localBytesRead", m.ShuffleLocalBytesRead);
        w.WriteNumber("recordsRead", m.ShuffleRecordsRead);
        w.WriteNumber("remoteReqsDuration", m.ShuffleRemoteReqsDuration);
        w.WriteStartObject("shufflePushReadMetrics");
        w.WriteNumber("corruptMergedBlockChunks", m.ShuffleCorruptMergedBlockChunks);
        w.WriteNumber("mergedFetchFallbackCount", m.ShuffleMergedFetchFallbackCount);
        w.WriteNumber("remoteMergedBlocksFetched", m.ShuffleMergedRemoteBlocksFetched);
        w.WriteNumber("localMergedBlocksFetched", m.ShuffleMergedLocalBlocksFetched);
        w.WriteNumber("remoteMergedChunksFetched", m.ShuffleMergedRemoteChunksFetched);
        w.WriteNumber("localMergedChunksFetched", m.ShuffleMergedLocalChunksFetched);
        w.WriteNumber("remoteMergedBytesRead", m.ShuffleMergedRemoteBytesRead);
        w.WriteNumber("localMergedBytesRead", m.ShuffleMergedLocalBytesRead);
        w.WriteNumber("remoteMergedReqsDuration", m.ShuffleMergedRemoteReqsDuration);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("shuffleWriteMetrics");
        w.WriteNumber("bytesWritten", m.ShuffleBytesWritten);
        w.WriteNumber("writeTime", m.ShuffleWriteTime);
        w.WriteNumber("recordsWritten", m.ShuffleRecordsWritten);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Executor(Utf8JsonWriter w, ExecutorRow e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteString("hostPort", e.HostPort);
        w.WriteBoolean("isActive", e.IsActive);
        w.WriteNumber("rddBlocks", e.RddBlocks);
        w.WriteNumber("memoryUsed", e.MemoryUsed);
        w.WriteNumber("diskUsed", e.DiskUsed);
        w.WriteNumber("totalCores", e.TotalCores);
        w.WriteNumber("maxTasks", e.MaxTasks);
        w.WriteNumber("activeTasks", e.ActiveTasks);
        w.WriteNumber("failedTasks", e.FailedTasks);
        w.WriteNumber("completedTasks", e.CompletedTasks);
        w.WriteNumber("totalTasks", e.TotalTasks);
        w.WriteNumber("totalDuration", e.TotalDuration);
        w.WriteNumber("totalGCTime", e.TotalGcTime);
        w.WriteNumber("totalInputBytes", e.TotalInputBytes);
        w.WriteNumber("totalShuffleRead", e.TotalShuffleRead);
        w.WriteNumber("totalShuffleWrite", e.TotalShuffleWrite);
        w.WriteBoolean("isBlacklisted", e.IsExcluded);
        w.WriteNumber("maxMemory", e.MaxMemory);
        w.Date("addTime", e.AddTime);
        w.Date("removeTime", e.RemoveTime);
        w.OptionalString("removeReason", e.RemoveReason);
        w.Map("executorLogs", e.ExecutorLogs);
        if (e.HasMemoryInfo)
        {
            w.WriteStartObject("memoryMetrics");
            w.WriteNumber("usedOnHeapStorageMemory", e.UsedOnHeap);
            w.WriteNumber("usedOffHeapStorageMemory", e.UsedOffHeap);
            w.WriteNumber("totalOnHeapStorageMemory", e.TotalOnHeap);
            w.WriteNumber("totalOffHeapStorageMemory", e.TotalOffHeap);
            w.WriteEndObject();
        }
        w.Ints("blacklistedInStages", e.ExcludedInStages);
        Peak(w, "peakMemoryMetrics", e.Peak);
        w.Map("attributes", e.Attributes);
        w.WritePropertyName("resources");
        w.WriteRawValue(e.ResourcesJson);
        w.WriteNumber("resourceProfileId", e.ResourceProfileId);
        w.WriteBoolean("isExcluded", e.IsExcluded);
        w.Ints("excludedInStages", e.ExcludedInStages);
        w.WriteEndObject();
    }

    public static void Environment(Utf8JsonWriter w, EnvironmentRow env, IEnumerable<ResourceProfileRow> profiles)
    {
        w.WriteStartObject();
        w.WriteStartObject("runtime");
        w.WriteString("javaVersion", env.JavaVersion);
        w.WriteString("javaHome", env.JavaHome);
        w.WriteString("scalaVersion", env.ScalaVersion);
        w.WriteEndObject();
        Pairs(w, "sparkProperties", env.SparkProperties);
        Pairs(w, "hadoopProperties", env.HadoopProperties);
        Pairs(w, "systemProperties", env.SystemProperties);
        Pairs(w, "metricsProperties", env.MetricsProperties);
        Pairs(w, "classpathEntries", env.ClasspathEntries);
        w.WriteStartArray("resourceProfiles");
        foreach (var profile in profiles) SparkStorageJson.ResourceProfile(w, profile);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Pairs(Utf8JsonWriter w, string name, IEnumerable<string[]> pairs)
    {
        w.WriteStartArray(name);
        foreach (var p in pairs.OrderBy(p => p[0], StringComparer.Ordinal))
        {
            w.WriteStartArray();
            w.WriteStringValue(p[0]);
            w.WriteStringValue(p[1]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
