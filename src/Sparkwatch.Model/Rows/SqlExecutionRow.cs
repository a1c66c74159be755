namespace Sparkwatch.Model.Rows;

/// <summary>
/// A SQL execution (Spark's SQLExecutionUIData, from SQLExecutionStart/End and adaptive updates). Its plan is kept as
/// the event's <c>sparkPlanInfo</c> JSON and turned into nodes and edges when read; its jobs' statuses are the job
/// rows' own.
/// </summary>
internal sealed class SqlExecutionRow
{
    public long Id;
    public long RootExecutionId = -1;
    public string? QueryId;
    public string Description = "";
    public string PhysicalPlanDescription = "";
    public string PlanJson = "{}";
    public long SubmissionTime;
    public long? CompletionTime;
    public string? ErrorMessage;
    public bool Started;
    public List<int> JobIds = [];
}
