using System.Globalization;
using Npgsql;
using Sparkwatch.Storage.Search;

namespace Sparkwatch.Storage.Postgres;

// The search index on tsvector + GIN (table in SearchSchema.Postgres).
public sealed partial class PostgresEventStore : ISearchIndex
{
    // Weights of ts_rank_cd for D, C, B, A: the text is A, the compounds' parts B.
    private static readonly string RankWeights = string.Create(CultureInfo.InvariantCulture, $"{{0, 0, {SearchRanking.PartsWeight}, {SearchRanking.TextWeight}}}");

    /// <inheritdoc/>
    public async Task IndexAsync(long runPk, IReadOnlyList<SearchDocument> documents, CancellationToken cancellationToken = default)
    {
        if (documents.Count == 0) return;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One statement per batch; an event indexed already (applied again) keeps its rows.
        await using var command = new NpgsqlCommand("""
            INSERT INTO search_docs (run_pk, seq, field, generated_at, event_type, weight, text, terms)
            SELECT $1, s, f, g, t, w, x, setweight(to_tsvector('simple', words), 'A') || setweight(to_tsvector('simple', parts), 'B')
            FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::real[], $7::text[], $8::text[], $9::text[]) AS u (s, f, g, t, w, x, words, parts)
            ON CONFLICT (run_pk, seq, field) DO NOTHING
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runPk });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => d.Seq).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => d.Field).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => d.GeneratedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => d.EventType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => (float)SearchRanking.WeightOf(d.Kind)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => d.Text).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => string.Join(' ', SearchText.Words(d.Text))).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Select(d => SearchText.Parts(d.Text)).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var hits = new List<SearchHit>();
        if (query.Terms.IsEmpty) return hits;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Named(connection, $"""
            SELECT score, run_pk, seq, field, job_name, run_id, event_type, generated_at, text FROM (
                SELECT -(ts_rank_cd('{RankWeights}', d.terms, q.query, 1) * d.weight)::float8 AS score,
                       d.run_pk, d.seq, d.field, j.job_name, r.run_id, d.event_type, d.generated_at, d.text
                FROM to_tsquery('simple', $match) AS q (query)
                JOIN search_docs d ON d.terms @@ q.query
                JOIN runs r ON r.run_pk = d.run_pk JOIN jobs j ON j.job_pk = r.job_pk
                WHERE ($job::text IS NULL OR j.job_name = $job) AND ($type::text IS NULL OR d.event_type = $type)
                  AND ($from::bigint IS NULL OR d.generated_at >= $from) AND ($to::bigint IS NULL OR d.generated_at <= $to)) hits
            WHERE $score::float8 IS NULL OR (score, run_pk, seq, field) > ($score, $afterRun::bigint, $afterSeq::bigint, $afterField::text)
            ORDER BY score, run_pk, seq, field LIMIT $limit
            """,
            ("match", TsQuery(query.Terms)), ("job", query.JobName), ("type", query.EventType), ("from", query.From), ("to", query.To),
            ("score", query.After?.Score), ("afterRun", query.After?.RunPk), ("afterSeq", query.After?.Seq), ("afterField", query.After?.Field),
            ("limit", query.Limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHit(new SearchPosition(reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7),
                SearchSnippet.Build(reader.GetString(8), query.Terms)));
        }
        return hits;
    }

    // Every token is quoted (tokens are letters and digits only, so nothing needs escaping): nothing a user types is
    // tsquery syntax. A compound word matches as itself or as its parts in a row.
    private static string TsQuery(SearchTerms terms) => string.Join(" & ", terms.Clauses.Select(clause =>
    {
        var phrase = Phrase(clause.Tokens, clause.Prefix);
        return clause.Parts.Count == 0 ? phrase : $"({phrase} | {Phrase(clause.Parts, clause.Prefix)})";
    }));

    private static string Phrase(IReadOnlyList<string> tokens, bool prefix) =>
        "(" + string.Join(" <-> ", tokens.Select((t, i) => $"'{t}'{(prefix && i == tokens.Count - 1 ? ":*" : "")}")) + ")";
}
