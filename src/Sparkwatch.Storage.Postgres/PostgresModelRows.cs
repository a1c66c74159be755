using Npgsql;
using Sparkwatch.Model;

namespace Sparkwatch.Storage.Postgres;

/// <summary>
/// The run model's rows on the appender's connection, inside its transaction (the run's row lock serialises
/// concurrent collectors on one run). Synchronous calls: the projector runs between the append's own statements.
/// </summary>
internal sealed class PostgresModelRows(NpgsqlConnection connection) : IModelRows
{
    private static readonly string TaskUpsert = ModelSchema.TaskUpsert(i => $"${i}");

    public byte[]? Read(ModelKey key)
    {
        using var command = PostgresAppender.Sql(connection, "SELECT doc FROM model_rows WHERE run_pk = $1 AND attempt_no = $2 AND kind = $3 AND id = $4",
            key.RunPk, key.AttemptNo, (int)key.Kind, key.Id);
        return command.ExecuteScalar() as byte[];
    }

    public void Write(ModelKey key, byte[] document)
    {
        using var command = PostgresAppender.Sql(connection, """
            INSERT INTO model_rows (run_pk, attempt_no, kind, id, doc) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (run_pk, attempt_no, kind, id) DO UPDATE SET doc = excluded.doc
            """, key.RunPk, key.AttemptNo, (int)key.Kind, key.Id, document);
        command.ExecuteNonQuery();
    }

    public byte[]? ReadTask(long runPk, int attemptNo, long taskId)
    {
        using var command = PostgresAppender.Sql(connection, "SELECT doc FROM model_tasks WHERE run_pk = $1 AND attempt_no = $2 AND task_id = $3", runPk, attemptNo, taskId);
        return command.ExecuteScalar() as byte[];
    }

    public void WriteTask(TaskColumns c, byte[] document)
    {
        object[] values = [c.RunPk, c.AttemptNo, c.TaskId, c.StageId, c.StageAttemptId, c.Index, c.Status, c.RunTimeKey, .. c.Quantiles.Cast<object>(), document];
        using var command = PostgresAppender.Sql(connection, TaskUpsert, values);
        command.ExecuteNonQuery();
    }
}
