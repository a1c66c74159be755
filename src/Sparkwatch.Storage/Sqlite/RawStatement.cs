using SQLitePCL;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>
/// A prepared statement driven through SQLite's C API: binds and reads blobs as spans, so the hot paths (append an
/// event, stream a run) copy no event bytes into managed arrays of their own.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
    }

    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Binds a named parameter (<c>$name</c>) the statement uses; a name it does not use is skipped.</summary>
    public RawStatement Bind(string name, long value)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, name);
        return index > 0 ? Bind(index, value) : this;
    }

    public RawStatement Bind(int index, ReadOnlySpan<byte> blob)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, blob));
        return this;
    }

    public RawStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    public RawStatement BindNullable(int index, string? value)
    {
        if (value is null) Check(raw.sqlite3_bind_null(_statement, index));
        else Bind(index, value);
        return this;
    }

    /// <summary>Runs a statement that returns no rows; returns how many rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE) Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Advances to the next row; false at the end (the statement is then reset for reuse).</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return true;
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) Check(rc);
        return false;
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }
    }
}
