using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>The rows of one application attempt of one run, as the projector reaches them while applying an event.</summary>
internal sealed class RunScope(ModelSession session, long runPk, int attemptNo)
{
    private AttemptRow? _attempt;

    public ModelSession Session { get; } = session;

    public ModelKey Key(ModelKind kind, string id) => new(runPk, attemptNo, kind, id);

    public AttemptRow Attempt => _attempt ??= Session.Get(Key(ModelKind.Attempt, ""), () => new AttemptRow());

    public ExecutorRow Executor(string id, long addTime = 0) =>
        Session.Get(Key(ModelKind.Executor, id), () => new ExecutorRow { Id = id, AddTime = addTime });

    public ExecutorRow? FindExecutor(string id) => Session.FindForUpdate<ExecutorRow>(Key(ModelKind.Executor, id));

    public StageRow Stage(int stageId, int attemptId) =>
        Session.Get(Key(ModelKind.Stage, StageKey(stageId, attemptId)), () => new StageRow { StageId = stageId, AttemptId = attemptId });

    public StageRow? FindStage(int stageId, int attemptId) => Session.FindForUpdate<StageRow>(Key(ModelKind.Stage, StageKey(stageId, attemptId)));

    public JobRow Job(int jobId) => Session.Get(Key(ModelKind.Job, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture)), () => new JobRow { JobId = jobId });

    public JobRow? FindJob(int jobId) => Session.FindForUpdate<JobRow>(Key(ModelKind.Job, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public StageIndicesRow StageIndices(int stageId) =>
        Session.Get(Key(ModelKind.StageIndices, stageId.ToString(System.Globalization.CultureInfo.InvariantCulture)), () => new StageIndicesRow());

    public TaskRow? FindTask(long taskId) => Session.FindTask(runPk, attemptNo, taskId);

    public void PutTask(TaskRow task) => Session.PutTask(runPk, attemptNo, task);

    public static string StageKey(int stageId, int attemptId) => FormattableString.Invariant($"{stageId}.{attemptId}");

    /// <summary>Whether bit <paramref name="index"/> is set.</summary>
    public static bool HasBit(byte[] bits, int index) => index >= 0 && index / 8 < bits.Length && (bits[index / 8] & (1 << (index % 8))) != 0;

    /// <summary>Sets bit <paramref name="index"/>; true when it was not set before.</summary>
    public static bool SetBit(ref byte[] bits, int index)
    {
        if (index < 0) return false;
        if (bits.Length <= index / 8) Array.Resize(ref bits, Math.Max(index / 8 + 1, bits.Length * 2));
        var mask = (byte)(1 << (index % 8));
        if ((bits[index / 8] & mask) != 0) return false;
        bits[index / 8] |= mask;
        return true;
    }
}
