namespace Sparkwatch.Storage.Retention;

/// <summary>
/// Retention's columns, one migration per engine: <c>runs.retained_position</c>/<c>retained_lines</c> (how far the run's
/// event bytes live in the archive only) and <c>events.archive_line</c> (the event's line in the archived log, set when its
/// <c>data</c> is emptied).
/// </summary>
public static class RetentionSchema
{
    /// <summary>The SQLite migration.</summary>
    public const string Sqlite = """
        ALTER TABLE runs ADD COLUMN retained_position INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN retained_lines INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE events ADD COLUMN archive_line INTEGER;
        """;

    /// <summary>The PostgreSQL migration.</summary>
    public const string Postgres = """
        ALTER TABLE runs ADD COLUMN retained_position bigint NOT NULL DEFAULT 0, ADD COLUMN retained_lines bigint NOT NULL DEFAULT 0;
        ALTER TABLE events ADD COLUMN archive_line bigint;
        """;

    /// <summary>Events renumbered and emptied per transaction: short enough not to hold SQLite's one writer long.</summary>
    public const int DropChunk = 20_000;

    /// <summary>Cuts a run's positions (in order, with their event counts) into pieces of about <see cref="DropChunk"/> events.</summary>
    /// <returns>Each piece's first and last position, the archive lines before it and its events.</returns>
    public static IEnumerable<(long From, long To, long LinesBefore, long Events)> Pieces(IEnumerable<(long Position, long Events)> positions, long linesBefore)
    {
        long? from = null;
        long to = 0, inPiece = 0, before = linesBefore;
        foreach (var (position, events) in positions)
        {
            from ??= position;
            to = position;
            inPiece += events;
            if (inPiece < DropChunk) continue;
            yield return (from.Value, to, before, inPiece);
            before += inPiece;
            (from, inPiece) = (null, 0);
        }
        if (from is { } last) yield return (last, to, before, inPiece);
    }
}
