using SQLitePCL;
using Sparkwatch.Model;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>The run model's rows on the writer connection, inside the appender's transaction.</summary>
internal sealed class SqliteModelRows : IModelRows, IDisposable
{
    private readonly RawStatement _read;
    private readonly RawStatement _write;
    private readonly RawStatement _readTask;
    private readonly RawStatement _writeTask;

    public SqliteModelRows(sqlite3 db)
    {
        _read = new RawStatement(db, "SELECT doc FROM model_rows WHERE run_pk = ?1 AND attempt_no = ?2 AND kind = ?3 AND id = ?4");
        _write = new RawStatement(db, "INSERT OR REPLACE INTO model_rows (run_pk, attempt_no, kind, id, doc) VALUES (?1, ?2, ?3, ?4, ?5)");
        _readTask = new RawStatement(db, "SELECT doc FROM model_tasks WHERE run_pk = ?1 AND attempt_no = ?2 AND task_id = ?3");
        _writeTask = new RawStatement(db, ModelSchema.TaskUpsert(i => $"?{i}"));
    }

    public byte[]? Read(ModelKey key) =>
        One(_read.Bind(1, key.RunPk).Bind(2, key.AttemptNo).Bind(3, (long)key.Kind).Bind(4, key.Id));

    public void Write(ModelKey key, byte[] document) =>
        _write.Bind(1, key.RunPk).Bind(2, key.AttemptNo).Bind(3, (long)key.Kind).Bind(4, key.Id).Bind(5, document).Execute();

    public byte[]? ReadTask(long runPk, int attemptNo, long taskId) => One(_readTask.Bind(1, runPk).Bind(2, attemptNo).Bind(3, taskId));

    public void WriteTask(TaskColumns c, byte[] document)
    {
        _writeTask.Bind(1, c.RunPk).Bind(2, c.AttemptNo).Bind(3, c.TaskId).Bind(4, c.StageId).Bind(5, c.StageAttemptId)
            .Bind(6, c.Index).Bind(7, c.Status).Bind(8, c.RunTimeKey);
        for (var i = 0; i < c.Quantiles.Length; i++) _writeTask.Bind(9 + i, c.Quantiles[i]);
        _writeTask.Bind(9 + c.Quantiles.Length, document).Execute();
    }

    private static byte[]? One(RawStatement statement)
    {
        if (!statement.Step()) return null;
        var doc = statement.Blob(0).ToArray();
        statement.Step(); // past the only row: resets the statement
        return doc;
    }

    public void Dispose()
    {
        _read.Dispose();
        _write.Dispose();
        _readTask.Dispose();
        _writeTask.Dispose();
    }
}
