using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>
/// The rows the projector touched in one write transaction: each read once from the store, changed in memory, written
/// back once at <see cref="Flush()"/> (no read-modify-write per event). Discard the session when the transaction fails.
/// </summary>
public sealed class ModelSession(IModelRows rows)
{
    internal static readonly JsonSerializerOptions Options = new() { IncludeFields = true };

    private readonly Dictionary<ModelKey, object> _rows = [];
    private readonly Dictionary<(long RunPk, int AttemptNo, long TaskId), TaskRow> _tasks = [];
    private readonly HashSet<ModelKey> _dirty = [];
    private readonly HashSet<(long, int, long)> _dirtyTasks = [];

    internal T? Find<T>(ModelKey key) where T : class
    {
        if (_rows.TryGetValue(key, out var cached)) return (T)cached;
        var doc = rows.Read(key);
        if (doc is null) return null;
        var row = JsonSerializer.Deserialize<T>(doc, Options)!;
        _rows[key] = row;
        return row;
    }

    /// <summary>The row when it exists, marked as changed.</summary>
    internal T? FindForUpdate<T>(ModelKey key) where T : class
    {
        var row = Find<T>(key);
        if (row is not null) _dirty.Add(key);
        return row;
    }

    internal T Get<T>(ModelKey key, Func<T> create) where T : class
    {
        var row = Find<T>(key);
        if (row is null)
        {
            row = create();
            _rows[key] = row;
        }
        _dirty.Add(key);
        return row;
    }

    internal TaskRow? FindTask(long runPk, int attemptNo, long taskId)
    {
        if (_tasks.TryGetValue((runPk, attemptNo, taskId), out var cached)) return cached;
        var doc = rows.ReadTask(runPk, attemptNo, taskId);
        if (doc is null) return null;
        var task = JsonSerializer.Deserialize<TaskRow>(doc, Options)!;
        _tasks[(runPk, attemptNo, taskId)] = task;
        return task;
    }

    internal void PutTask(long runPk, int attemptNo, TaskRow task)
    {
        _tasks[(runPk, attemptNo, task.TaskId)] = task;
        _dirtyTasks.Add((runPk, attemptNo, task.TaskId));
    }

    /// <summary>Writes every changed row to the store and forgets them.</summary>
    public void Flush() => Flush(rows);

    /// <summary>
    /// Writes every changed row to <paramref name="target"/> and forgets them: a session may read its rows from one
    /// snapshot and write them through another connection (the store then checks nothing changed in between).
    /// </summary>
    public void Flush(IModelRows target)
    {
        foreach (var key in _dirty) target.Write(key, JsonSerializer.SerializeToUtf8Bytes(_rows[key], _rows[key].GetType(), Options));
        foreach (var id in _dirtyTasks)
        {
            var task = _tasks[id];
            target.WriteTask(TaskQuantileMetrics.Columns(id.Item1, id.Item2, task), JsonSerializer.SerializeToUtf8Bytes(task, Options));
        }
        Clear();
    }

    /// <summary>Forgets every cached row (after a failed transaction).</summary>
    public void Clear()
    {
        _rows.Clear();
        _tasks.Clear();
        _dirty.Clear();
        _dirtyTasks.Clear();
    }
}
