namespace Sparkwatch.Core.Ingest;

/// <summary>Identifies one run: the logical Spark application (<paramref name="JobName"/>) and one execution of it.</summary>
/// <param name="JobName">The job name, e.g. <c>spark.datamechanics.job.name</c> or <c>spark.app.name</c>.</param>
/// <param name="RunId">The run id, unique within its job; by default the Spark application id.</param>
public sealed record RunKey(string JobName, string RunId)
{
    /// <inheritdoc/>
    public override string ToString() => $"{JobName}/{RunId}";
}
