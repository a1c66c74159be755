namespace Sparkwatch.Bench;

/// <summary>The shape of a generated Spark application.</summary>
/// <param name="AppId">Its application id.</param>
/// <param name="Tasks">Tasks in all, spread over <paramref name="StageSizes"/> (relative weights, one stage each).</param>
/// <param name="StageSizes">Relative size of each stage; consecutive pairs of stages form one job (a map and a reduce stage).</param>
/// <param name="Executors">Executors up at the start (4 cores each); a quarter of them is replaced half-way (dynamic allocation).</param>
/// <param name="Start">Application start, epoch ms.</param>
internal sealed record RunShape(string AppId, long Tasks, int[] StageSizes, int Executors, long Start)
{
    /// <summary>The 1,000,000-task application of the big-run benchmark: 8 stages (4 jobs) of 50k to 200k tasks, 50 executors.</summary>
    public static RunShape Big(long tasks) => new("app-bigrun-0001", tasks, [4, 4, 4, 2, 2, 2, 1, 1], 50, 1_700_000_000_000);

    /// <summary>A small application (one job of two stages, 2 tasks each, 2 executors), as most runs of a busy platform are.</summary>
    public static RunShape Small(string appId, long start) => new(appId, 4, [1, 1], 2, start);

    /// <summary>Tasks of each stage (the weights scaled to <see cref="Tasks"/>; the last stage takes the rounding).</summary>
    public long[] TasksPerStage()
    {
        var total = StageSizes.Sum();
        var sizes = StageSizes.Select(w => Math.Max(1, Tasks * w / total)).ToArray();
        sizes[^1] = Math.Max(1, Tasks - sizes[..^1].Sum());
        return sizes;
    }
}

/// <summary>
/// Generates a Spark application's event log lines (Spark 3 JSON, as the listener and the event log carry them):
/// application start and end, environment, executors added and removed, jobs of a map and a reduce stage, and per task
/// a start and an end with full task metrics, 4 tasks in flight per executor core slot. Run times are deterministic
/// pseudo-random (a skewed distribution with a long tail); 1 task in 2,000 fails once and succeeds on its retry.
/// </summary>
internal static class SyntheticRun
{
    private const int CoresPerExecutor = 4;

    public static IEnumerable<string> Events(RunShape shape)
    {
        var t = shape.Start;
        yield return $$"""{"Event":"SparkListenerApplicationStart","App Name":"bench-{{shape.AppId}}","App ID":"{{shape.AppId}}","Timestamp":{{t}},"User":"etl","Spark Version":"3.5.1"}""";
        yield return """{"Event":"SparkListenerEnvironmentUpdate","JVM Information":{"Java Version":"17.0.10 (Eclipse Adoptium)","Java Home":"/opt/java"},"Spark Properties":{"spark.app.name":"bench","spark.executor.cores":"4","spark.executor.memory":"8g","spark.dynamicAllocation.enabled":"true"},"Hadoop Properties":{},"System Properties":{"java.vendor":"Eclipse Adoptium"},"Classpath Entries":{}}""";
        var executors = new List<int>();
        for (var e = 1; e <= shape.Executors; e++)
        {
            executors.Add(e);
            yield return ExecutorAdded(e, t + 500);
        }
        var nextExecutor = shape.Executors + 1;
        t += 2_000;
        long taskId = 0;
        var random = new Random(42);
        var sizes = shape.TasksPerStage();
        for (var stage = 0; stage < sizes.Length; stage++)
        {
            var jobId = stage / 2;
            if (stage % 2 == 0)
            {
                var stageIds = Enumerable.Range(stage, Math.Min(2, sizes.Length - stage)).ToArray();
                var infos = string.Join(",", stageIds.Select(s => StageInfo(s, sizes[s], null, null)));
                yield return $$"""{"Event":"SparkListenerJobStart","Job ID":{{jobId}},"Submission Time":{{t}},"Stage Infos":[{{infos}}],"Stage IDs":[{{string.Join(",", stageIds)}}],"Properties":{"spark.job.description":"bench job {{jobId}}"} }""";
            }
            var submitted = t;
            yield return $$"""{"Event":"SparkListenerStageSubmitted","Stage Info":{{StageInfo(stage, sizes[stage], submitted, null)}},"Properties":{} }""";
            // Slots free at: one per core; each task takes the earliest free slot.
            var slots = new PriorityQueue<(int Executor, int Core), long>();
            foreach (var e in executors) for (var c = 0; c < CoresPerExecutor; c++) slots.Enqueue((e, c), t);
            var running = new PriorityQueue<string, long>();
            var end = t;
            for (var index = 0; index < sizes[stage]; index++)
            {
                var fails = index % 2_000 == 1_999;
                for (var attempt = 0; attempt <= (fails ? 1 : 0); attempt++)
                {
                    slots.TryDequeue(out var slot, out var free);
                    var launch = free + 1;
                    // Events of tasks that finished before this launch come first, in finish order.
                    while (running.TryPeek(out _, out var finish) && finish <= launch) yield return running.Dequeue();
                    var runTime = RunTime(random, stage, index);
                    var finished = launch + runTime + 15;
                    var info = TaskInfo(taskId, index, attempt, launch, slot.Executor, finished, failed: fails && attempt == 0);
                    yield return $$"""{"Event":"SparkListenerTaskStart","Stage ID":{{stage}},"Stage Attempt ID":0,"Task Info":{{info}} }""";
                    var reason = fails && attempt == 0
                        ? """{"Reason":"ExceptionFailure","Class Name":"java.io.IOException","Description":"Connection reset by peer","Stack Trace":[{"Declaring Class":"org.apache.spark.network.client.TransportClient","Method Name":"send","File Name":"TransportClient.java","Line Number":312}],"Full Stack Trace":"java.io.IOException: Connection reset by peer","Accumulator Updates":[]}"""
                        : """{"Reason":"Success"}""";
                    running.Enqueue(TaskEnd(stage, stage % 2 == 0, reason, info, runTime, random), finished);
                    slots.Enqueue(slot, finished);
                    end = Math.Max(end, finished);
                    taskId++;
                }
            }
            while (running.Count > 0) yield return running.Dequeue();
            yield return $$"""{"Event":"SparkListenerStageCompleted","Stage Info":{{StageInfo(stage, sizes[stage], submitted, end)}} }""";
            t = end + 200;
            if (stage % 2 == 1 || stage == sizes.Length - 1) yield return $$"""{"Event":"SparkListenerJobEnd","Job ID":{{jobId}},"Completion Time":{{t}},"Job Result":{"Result":"JobSucceeded"} }""";
            if (stage == sizes.Length / 2 - 1 && executors.Count >= 4)
            {
                // Dynamic allocation: a quarter of the executors go idle and are removed, new ones come.
                foreach (var e in executors.Take(executors.Count / 4).ToList())
                {
                    executors.Remove(e);
                    yield return $$"""{"Event":"SparkListenerExecutorRemoved","Timestamp":{{t}},"Executor ID":"{{e}}","Removed Reason":"Executor killed by driver."}""";
                    executors.Add(nextExecutor);
                    yield return ExecutorAdded(nextExecutor++, t + 1_000);
                }
                t += 1_500;
            }
        }
        foreach (var e in executors) yield return $$"""{"Event":"SparkListenerExecutorRemoved","Timestamp":{{t + 100}},"Executor ID":"{{e}}","Removed Reason":"Application finished."}""";
        yield return $$"""{"Event":"SparkListenerApplicationEnd","Timestamp":{{t + 200}} }""";
    }

    // Most tasks 2–4 s, one in 50 up to 4× longer, the first tasks of a reduce stage much longer (skewed keys).
    private static long RunTime(Random random, int stage, int index)
    {
        var runTime = 2_000 + random.Next(2_000);
        if (random.Next(50) == 0) runTime *= 1 + random.Next(4);
        if (stage % 2 == 1 && index < 3) runTime *= 10;
        return runTime;
    }

    private static string ExecutorAdded(int executor, long time) =>
        $$"""{"Event":"SparkListenerExecutorAdded","Timestamp":{{time}},"Executor ID":"{{executor}}","Executor Info":{"Host":"worker-{{executor}}.cluster","Total Cores":{{CoresPerExecutor}},"Log Urls":{"stdout":"http://worker-{{executor}}.cluster:8042/stdout","stderr":"http://worker-{{executor}}.cluster:8042/stderr"},"Attributes":{},"Resources":{},"Resource Profile Id":0} }""";

    private static string StageInfo(int stage, long tasks, long? submitted, long? completed)
    {
        var times = (submitted is { } s ? $",\"Submission Time\":{s}" : "") + (completed is { } c ? $",\"Completion Time\":{c}" : "");
        var parents = stage % 2 == 1 ? $"{stage - 1}" : "";
        return $$"""{"Stage ID":{{stage}},"Stage Attempt ID":0,"Stage Name":"{{(stage % 2 == 0 ? "map" : "reduceByKey")}} at etl.py:{{100 + stage}}","Number of Tasks":{{tasks}},"RDD Info":[{"RDD ID":{{stage}},"Name":"rdd {{stage}}","Scope":"{\"id\":\"{{stage}}\",\"name\":\"map\"}","Callsite":"map at etl.py:{{100 + stage}}","Parent IDs":[],"Storage Level":{"Use Disk":false,"Use Memory":false,"Deserialized":false,"Replication":1},"Barrier":false,"DeterministicLevel":"DETERMINATE","Number of Partitions":{{tasks}},"Number of Cached Partitions":0,"Memory Size":0,"Disk Size":0}],"Parent IDs":[{{parents}}],"Details":"org.apache.spark.rdd.RDD.map(RDD.scala:421)"{{times}},"Accumulables":[],"Resource Profile Id":0}""";
    }

    private static string TaskInfo(long taskId, int index, int attempt, long launch, int executor, long finish, bool failed) =>
        $$"""{"Task ID":{{taskId}},"Index":{{index}},"Attempt":{{attempt}},"Partition ID":{{index}},"Launch Time":{{launch}},"Executor ID":"{{executor}}","Host":"worker-{{executor}}.cluster","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":{{finish}},"Failed":{{(failed ? "true" : "false")}},"Killed":false,"Accumulables":[]}""";

    private static string TaskEnd(int stage, bool map, string reason, string info, long runTime, Random random)
    {
        var records = 10_000 + random.Next(40_000);
        var bytes = records * 120L;
        var gc = runTime / 20 + random.Next(50);
        var shuffle = map
            ? $$""" "Shuffle Read Metrics":{"Remote Blocks Fetched":0,"Local Blocks Fetched":0,"Fetch Wait Time":0,"Remote Bytes Read":0,"Remote Bytes Read To Disk":0,"Local Bytes Read":0,"Total Records Read":0},"Shuffle Write Metrics":{"Shuffle Bytes Written":{{bytes / 3}},"Shuffle Write Time":{{runTime * 40_000}},"Shuffle Records Written":{{records / 10}} },"Input Metrics":{"Bytes Read":{{bytes}},"Records Read":{{records}} }"""
            : $$""" "Shuffle Read Metrics":{"Remote Blocks Fetched":{{records % 97}},"Local Blocks Fetched":{{records % 13}},"Fetch Wait Time":{{random.Next(30)}},"Remote Bytes Read":{{bytes / 4}},"Remote Bytes Read To Disk":0,"Local Bytes Read":{{bytes / 20}},"Total Records Read":{{records / 10}} },"Shuffle Write Metrics":{"Shuffle Bytes Written":0,"Shuffle Write Time":0,"Shuffle Records Written":0},"Input Metrics":{"Bytes Read":0,"Records Read":0}""";
        return $$"""{"Event":"SparkListenerTaskEnd","Stage ID":{{stage}},"Stage Attempt ID":0,"Task Type":"{{(map ? "ShuffleMapTask" : "ResultTask")}}","Task End Reason":{{reason}},"Task Info":{{info}},"Task Executor Metrics":{"JVMHeapMemory":{{300_000_000 + random.Next(500_000_000)}},"JVMOffHeapMemory":80000000,"OnHeapExecutionMemory":{{random.Next(200_000_000)}},"OffHeapExecutionMemory":0,"OnHeapStorageMemory":1000000,"OffHeapStorageMemory":0,"OnHeapUnifiedMemory":{{random.Next(200_000_000)}},"OffHeapUnifiedMemory":0,"DirectPoolMemory":1200000,"MappedPoolMemory":0,"ProcessTreeJVMVMemory":0,"ProcessTreeJVMRSSMemory":0,"ProcessTreePythonVMemory":0,"ProcessTreePythonRSSMemory":0,"ProcessTreeOtherVMemory":0,"ProcessTreeOtherRSSMemory":0,"MinorGCCount":{{gc / 20}},"MinorGCTime":{{gc}},"MajorGCCount":0,"MajorGCTime":0},"Task Metrics":{"Executor Deserialize Time":{{5 + random.Next(20)}},"Executor Deserialize CPU Time":{{4_000_000 + random.Next(10_000_000)}},"Executor Run Time":{{runTime}},"Executor CPU Time":{{runTime * 850_000}},"Peak Execution Memory":{{random.Next(100_000_000)}},"Result Size":{{1_800 + random.Next(400)}},"JVM GC Time":{{gc}},"Result Serialization Time":{{random.Next(3)}},"Memory Bytes Spilled":0,"Disk Bytes Spilled":0,{{shuffle}},"Output Metrics":{"Bytes Written":0,"Records Written":0},"Updated Blocks":[]} }""";
    }
}
