using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Appending;

/// <summary>A payload's events and quarantined messages with the seqs of one numbering and their hashes.</summary>
internal sealed class PayloadRows
{
    private Dictionary<long, long>? _hashBySeq;

    private PayloadRows(long[] hashesByOrdinal, int skipped)
    {
        HashesByOrdinal = hashesByOrdinal;
        Skipped = skipped;
    }

    public List<EventRow> Events { get; } = [];

    public List<QuarantineRow> Quarantined { get; } = [];

    public long[] HashesByOrdinal { get; }

    /// <summary>Messages at the head of the payload left out as already stored.</summary>
    public int Skipped { get; }

    public int Count => Events.Count + Quarantined.Count;

    public IEnumerable<long> Seqs => Events.Select(r => r.Seq).Concat(Quarantined.Select(r => r.Seq));

    /// <summary>The hash of the message at <paramref name="seq"/> (built on first use: only a conflict needs it).</summary>
    public long HashAt(long seq)
    {
        _hashBySeq ??= Events.Select(r => (r.Seq, r.Hash)).Concat(Quarantined.Select(r => (r.Seq, r.Hash))).ToDictionary();
        return _hashBySeq[seq];
    }

    /// <summary>The messages from ordinal <paramref name="skipped"/> on, numbered by <paramref name="seqOf"/>.</summary>
    public static PayloadRows Of(IngestBatch batch, long[] hashesByOrdinal, int skipped, Func<int, long> seqOf)
    {
        var rows = new PayloadRows(hashesByOrdinal, skipped);
        foreach (var e in batch.Events)
        {
            if (e.Ordinal < skipped) continue;
            rows.Events.Add(new EventRow(e, seqOf(e.Ordinal), hashesByOrdinal[e.Ordinal]));
        }
        foreach (var q in batch.Quarantined)
        {
            if (q.Ordinal < skipped) continue;
            rows.Quarantined.Add(new QuarantineRow(q, seqOf(q.Ordinal), hashesByOrdinal[q.Ordinal]));
        }
        return rows;
    }
}
