namespace Sparkwatch.Core.Runs;

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    /// <summary>No application end yet, and the run was heard from within the silence timeout.</summary>
    Running,
    /// <summary>The latest attempt has ended.</summary>
    Completed,
    /// <summary>No application end, and the run has been silent longer than the timeout.</summary>
    Incomplete,
}
