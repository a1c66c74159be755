using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Sparkwatch.Storage.Search;

namespace Sparkwatch.Storage.Sqlite;

// The search index on FTS5 (tables in SearchSchema.Sqlite). Writes go through the writer connection, like appends.
public sealed partial class SqliteEventStore : ISearchIndex
{
    /// <inheritdoc/>
    /// <remarks>
    /// Written in slices of <see cref="SqliteStoreOptions.SinkWriteSliceMilliseconds"/> each, one transaction per slice, so
    /// that an ingest commit waits for one slice rather than for a whole batch's tokenising. A slice committed before a
    /// crash is harmless: the documents are applied again from the sink's cursor, and each is indexed once.
    /// </remarks>
    public async Task IndexAsync(long runPk, IReadOnlyList<SearchDocument> documents, CancellationToken cancellationToken = default)
    {
        var next = 0;
        while (next < documents.Count)
        {
            next = await WriteAsync(writer => IndexSlice(writer, runPk, documents, next), cancellationToken);
        }
    }

    // Indexes documents from `first` until the slice's time is spent; returns the index of the first one left.
    private int IndexSlice(SqliteConnection writer, long runPk, IReadOnlyList<SearchDocument> documents, int first)
    {
        var sliceEnds = _options.SinkWriteSliceMilliseconds <= 0 ? long.MaxValue
            : Stopwatch.GetTimestamp() + _options.SinkWriteSliceMilliseconds * Stopwatch.Frequency / 1000;
        using var transaction = writer.BeginTransaction();
        using var insertDoc = writer.CreateCommand();
        insertDoc.CommandText = """
            INSERT INTO search_docs (run_pk, seq, field, generated_at, event_type, weight, text) VALUES ($r, $s, $f, $g, $t, $w, $x)
            ON CONFLICT (run_pk, seq, field) DO NOTHING RETURNING doc_id
            """;
        using var insertTerms = writer.CreateCommand();
        insertTerms.CommandText = "INSERT INTO search_fts (rowid, text, parts) VALUES ($id, $x, $p)";
        var next = first;
        while (next < documents.Count && (next == first || Stopwatch.GetTimestamp() < sliceEnds))
        {
            var document = documents[next++];
            insertDoc.Parameters.Clear();
            insertDoc.Parameters.AddWithValue("$r", runPk);
            insertDoc.Parameters.AddWithValue("$s", document.Seq);
            insertDoc.Parameters.AddWithValue("$f", document.Field);
            insertDoc.Parameters.AddWithValue("$g", document.GeneratedAt);
            insertDoc.Parameters.AddWithValue("$t", document.EventType);
            insertDoc.Parameters.AddWithValue("$w", SearchRanking.WeightOf(document.Kind));
            insertDoc.Parameters.AddWithValue("$x", document.Text);
            // Indexed already (the same event applied again): nothing to add.
            if (insertDoc.ExecuteScalar() is not long docId) continue;
            insertTerms.Parameters.Clear();
            insertTerms.Parameters.AddWithValue("$id", docId);
            insertTerms.Parameters.AddWithValue("$x", document.Text);
            insertTerms.Parameters.AddWithValue("$p", SearchText.Parts(document.Text));
            insertTerms.ExecuteNonQuery();
        }
        transaction.Commit();
        return next;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var hits = new List<SearchHit>();
        if (query.Terms.IsEmpty) return Task.FromResult<IReadOnlyList<SearchHit>>(hits);
        using var connection = Open();
        using var command = Command(connection, $"""
            SELECT score, run_pk, seq, field, job_name, run_id, event_type, generated_at, text FROM (
                SELECT bm25(search_fts, {SearchRanking.TextWeight.ToString(CultureInfo.InvariantCulture)}, {SearchRanking.PartsWeight.ToString(CultureInfo.InvariantCulture)}) * d.weight AS score,
                       d.run_pk, d.seq, d.field, j.job_name, r.run_id, d.event_type, d.generated_at, d.text
                FROM search_fts JOIN search_docs d ON d.doc_id = search_fts.rowid
                JOIN runs r ON r.run_pk = d.run_pk JOIN jobs j ON j.job_pk = r.job_pk
                WHERE search_fts MATCH $match
                  AND ($job IS NULL OR j.job_name = $job) AND ($type IS NULL OR d.event_type = $type)
                  AND ($from IS NULL OR d.generated_at >= $from) AND ($to IS NULL OR d.generated_at <= $to))
            WHERE $score IS NULL OR (score, run_pk, seq, field) > ($score, $afterRun, $afterSeq, $afterField)
            ORDER BY score, run_pk, seq, field LIMIT $limit
            """,
            ("$match", Fts5Match(query.Terms)), ("$job", query.JobName), ("$type", query.EventType), ("$from", query.From), ("$to", query.To),
            ("$score", query.After?.Score), ("$afterRun", query.After?.RunPk), ("$afterSeq", query.After?.Seq), ("$afterField", query.After?.Field),
            ("$limit", query.Limit));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hits.Add(new SearchHit(new SearchPosition(reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7),
                SearchSnippet.Build(reader.GetString(8), query.Terms)));
        }
        return Task.FromResult<IReadOnlyList<SearchHit>>(hits);
    }

    // Every token is quoted (tokens are letters and digits only, so a quote never needs escaping): nothing a user
    // types is FTS5 syntax. A compound word matches as itself or as its parts in a row.
    private static string Fts5Match(SearchTerms terms) => string.Join(" AND ", terms.Clauses.Select(clause =>
    {
        var phrase = $"\"{string.Join(' ', clause.Tokens)}\"{(clause.Prefix ? "*" : "")}";
        return clause.Parts.Count == 0 ? phrase : $"({phrase} OR \"{string.Join(' ', clause.Parts)}\"{(clause.Prefix ? "*" : "")})";
    }));
}
