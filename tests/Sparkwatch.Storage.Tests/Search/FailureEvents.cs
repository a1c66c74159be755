namespace Sparkwatch.Storage.Tests.Search;

/// <summary>
/// Failure events in Spark's JSON (JsonProtocol) of the kinds the shared logs lack: a failed job, a failed stage with a
/// cause chain, a task killed by OutOfMemoryError, a failed SQL execution, and the descriptions around them.
/// </summary>
public static class FailureEvents
{
    /// <summary>The events, in order, one JSON per line.</summary>
    public static readonly string[] Lines =
    [
        """{"Event":"SparkListenerApplicationStart","App Name":"nightly revenue","App ID":"app-failing-1","Timestamp":1700000000000,"User":"etl-bot"}""",
        """{"Event":"SparkListenerJobStart","Job ID":3,"Submission Time":1700000001000,"Stage Infos":[],"Stage IDs":[3],"Properties":{"spark.job.description":"rollup of the revenue per region"}}""",
        """{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart","executionId":0,"description":"select region, sum(amount) from sales group by region","details":"","physicalPlanDescription":"","sparkPlanInfo":{"nodeName":"x","simpleString":"x","children":[],"metadata":{},"metrics":[]},"time":1700000001500}""",
        """{"Event":"SparkListenerTaskEnd","Stage ID":3,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{"Reason":"ExceptionFailure","Class Name":"org.apache.spark.SparkException","Description":"Task failed while writing rows.","Stack Trace":[],"Full Stack Trace":"org.apache.spark.SparkException: Task failed while writing rows.\n\tat org.apache.spark.sql.errors.QueryExecutionErrors$.taskFailedWhileWritingRowsError(QueryExecutionErrors.scala:789)\nCaused by: java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n","Accumulator Updates":[]},"Task Info":{"Task ID":12,"Index":0,"Attempt":3,"Launch Time":1700000002000,"Executor ID":"2","Host":"10.0.0.5","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":1700000003000,"Failed":true,"Killed":false,"Accumulables":[]}}""",
        """{"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":3,"Stage Attempt ID":0,"Stage Name":"save at Rollup.scala:42","Number of Tasks":1,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":1700000001900,"Completion Time":1700000004000,"Failure Reason":"Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure: Lost task 0.3 in stage 3.0 (TID 12) (10.0.0.5 executor 2): java.io.FileNotFoundException: File file:/data/in.csv does not exist\nCaused by: java.io.FileNotFoundException: File file:/data/in.csv does not exist","Accumulables":[]}}""",
        """{"Event":"SparkListenerJobEnd","Job ID":3,"Completion Time":1700000005000,"Job Result":{"Result":"JobFailed","Exception":{"Message":"Job aborted due to stage failure: java.io.FileNotFoundException: File file:/data/in.csv does not exist","Stack Trace":[{"Declaring Class":"org.apache.spark.scheduler.DAGScheduler","Method Name":"failJobAndIndependentStages","File Name":"DAGScheduler.scala","Line Number":2454}]}}}""",
        """{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd","executionId":0,"time":1700000006000,"errorMessage":"org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] The table or view `sales` cannot be found."}""",
        """{"Event":"SparkListenerApplicationEnd","Timestamp":1700000007000}""",
    ];
}
