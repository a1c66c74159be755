namespace Sparkwatch.Storage.Appending;

/// <summary>
/// A run holds one stream of messages per sender that numbered them from 1 (a driver, an application attempt, a log):
/// the stored seq is <c>stream × <see cref="Stride"/> + client seq</c>, so the events key (run, generated_at, seq) and the
/// unique (run, seq) hold every stream, and ties in time sort by stream, then by the client's seq.
/// </summary>
public static class StreamSeq
{
    /// <summary>2⁴⁰: client seqs run from 1 to <see cref="Stride"/> − 1 (larger counters are refused at decode time).</summary>
    public const long Stride = 1L << 40;

    /// <summary>The stored seq of <paramref name="clientSeq"/> in <paramref name="stream"/>.</summary>
    public static long Fold(long stream, long clientSeq) => stream * Stride + clientSeq;

    /// <summary>The stream a stored seq belongs to.</summary>
    public static long StreamOf(long seq) => seq / Stride;
}
