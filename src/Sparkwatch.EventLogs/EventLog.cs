namespace Sparkwatch.EventLogs;

/// <summary>One application attempt's event log as Spark wrote it: a single file or the parts of a rolling log.</summary>
/// <param name="Name">The log's name as Spark wrote it (file name or rolling directory name, without codec or <c>.inprogress</c>).</param>
/// <param name="AppId">The application id taken from the name.</param>
/// <param name="AttemptId">The attempt id taken from the name, when the log has one.</param>
/// <param name="Parts">The files to read, in order.</param>
/// <param name="InProgress">True while the application is still writing it.</param>
public sealed record EventLog(string Name, string AppId, string? AttemptId, IReadOnlyList<string> Parts, bool InProgress);
