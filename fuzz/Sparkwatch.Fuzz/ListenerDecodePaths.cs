using System.Text;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.Fuzz;

/// <summary>
/// The listener decoder's two ways of reading an envelope, side by side: the canonical fast path first (as the service
/// runs) and the general <see cref="System.Text.Json.Utf8JsonReader"/> path alone. Whatever the input, both must give
/// the same outcome: the same batch byte for byte, or the same refusal.
/// </summary>
/// <remarks>Each decoder has its own normalizer, so that a run's redaction patterns learnt by one cannot change the other's output.</remarks>
public sealed class ListenerDecodePaths(int maxNameLength)
{
    private readonly ListenerPayloadDecoder _canonicalFirst = new(new EventNormalizer(SparkRedactor.Default), maxNameLength);
    private readonly ListenerPayloadDecoder _generalOnly = new(new EventNormalizer(SparkRedactor.Default), maxNameLength) { ReadsCanonicalEnvelopeFirst = false };

    /// <summary>
    /// Decodes <paramref name="body"/> both ways, passing the service's batch to <paramref name="inspect"/>; throws a
    /// <see cref="FuzzFindingException"/> when the outcomes differ.
    /// </summary>
    /// <returns>The outcome, as <see cref="Describe"/> writes it, or the refusal.</returns>
    public string Decode(byte[] body, Action<IngestBatch>? inspect = null)
    {
        var canonical = Outcome(_canonicalFirst, body, inspect);
        var general = Outcome(_generalOnly, body, inspect: null);
        if (canonical != general)
        {
            throw new FuzzFindingException($"The canonical envelope path and the general reader disagree.\ncanonical first: {canonical}\ngeneral only:    {general}");
        }
        return canonical;
    }

    /// <summary>True when the fast path reads <paramref name="body"/> itself rather than leaving it to the general reader.</summary>
    public static bool IsCanonical(byte[] body)
    {
        using var arena = PooledBuffer.Rent(body.Length);
        return CanonicalListenerEnvelope.TryRead(body, arena, out _);
    }

    private static string Outcome(ListenerPayloadDecoder decoder, byte[] body, Action<IngestBatch>? inspect)
    {
        try
        {
            using var batch = decoder.Decode(body, receivedAt: 7);
            inspect?.Invoke(batch);
            return Describe(batch);
        }
        catch (Exception e) when (e is EnvelopeException or PayloadTooLargeException)
        {
            return $"refused ({e.GetType().Name}): {e.Message}";
        }
    }

    /// <summary>Everything of a batch that the stores keep, as text: equal text means an equal batch.</summary>
    public static string Describe(IngestBatch batch)
    {
        var text = new StringBuilder()
            .Append($"run {batch.Run.JobName}/{batch.Run.RunId}, first seq {batch.FirstSeq}, {batch.MessageCount} messages, {batch.HeartbeatCount} heartbeats\n");
        foreach (var e in batch.Events)
        {
            text.Append($"event #{e.Ordinal} at {e.GeneratedAt} {e.Facts} hash {e.Hash}: {Convert.ToHexString(e.Json.Span)}\n");
        }
        foreach (var q in batch.Quarantined)
        {
            text.Append($"quarantined #{q.Ordinal} at {q.GeneratedAt} ({q.Reason}): {Convert.ToHexString(q.Content.Span)}\n");
        }
        return text.ToString();
    }
}
