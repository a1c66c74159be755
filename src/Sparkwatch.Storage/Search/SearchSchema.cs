namespace Sparkwatch.Storage.Search;

/// <summary>The search index's tables, one migration per engine (appended to each engine's list).</summary>
public static class SearchSchema
{
    /// <summary>
    /// SQLite: one row per (run, seq, field) with the text; the FTS5 table indexes the text and the compounds' parts,
    /// keyed by the row's doc_id, without a second copy of the text (contentless, rows deletable).
    /// </summary>
    public const string Sqlite = """
        CREATE TABLE search_docs (
            doc_id       INTEGER PRIMARY KEY,
            run_pk       INTEGER NOT NULL,
            seq          INTEGER NOT NULL,
            field        TEXT NOT NULL,
            generated_at INTEGER NOT NULL,
            event_type   TEXT NOT NULL,
            weight       REAL NOT NULL,
            text         TEXT NOT NULL,
            UNIQUE (run_pk, seq, field));
        CREATE VIRTUAL TABLE search_fts USING fts5(text, parts, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0');
        """;

    /// <summary>
    /// PostgreSQL: the tsvector holds the text's tokens (weight A) and the compounds' parts (weight B), built from
    /// SearchText's tokens rather than PostgreSQL's parser, which reads java.lang.OutOfMemoryError as one host name.
    /// </summary>
    public const string Postgres = """
        CREATE TABLE search_docs (
            run_pk       bigint NOT NULL,
            seq          bigint NOT NULL,
            field        text COLLATE "C" NOT NULL,
            generated_at bigint NOT NULL,
            event_type   text NOT NULL,
            weight       real NOT NULL,
            text         text NOT NULL,
            terms        tsvector NOT NULL,
            PRIMARY KEY (run_pk, seq, field));
        CREATE INDEX search_docs_terms ON search_docs USING gin (terms);
        """;
}
