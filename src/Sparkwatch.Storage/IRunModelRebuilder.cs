using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage;

/// <summary>Recomputes the run model from stored events (after an upgrade of the projector).</summary>
public interface IRunModelRebuilder
{
    /// <summary>
    /// Drops the model of <paramref name="run"/> (every run when <c>null</c>) and projects its events again in seq order,
    /// one transaction per run; <paramref name="progress"/> gets each run and its event count when done. Returns the
    /// number of runs rebuilt. Runs whose event bytes retention left in the archive only keep their model as it is.
    /// </summary>
    Task<int> RebuildModelAsync(RunKey? run, Action<RunKey, long>? progress, CancellationToken cancellationToken);
}
