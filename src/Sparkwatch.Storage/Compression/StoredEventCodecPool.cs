using System.Collections.Concurrent;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Storage.Compression;

/// <summary>Codecs for concurrent callers (readers, replicas' appends): each takes one, uses it alone, and gives it back.</summary>
public sealed class StoredEventCodecPool(int level) : IDisposable
{
    private readonly ConcurrentBag<StoredEventCodec> _idle = [];

    /// <summary>An idle codec, or a new one.</summary>
    public StoredEventCodec Rent() => _idle.TryTake(out var codec) ? codec : new StoredEventCodec(level);

    /// <summary>Gives <paramref name="batch"/> the stored form of each of its events (its <see cref="StoredForms.Format"/> is this pool's level), made on the caller's thread.</summary>
    public void Prepare(IngestBatch batch)
    {
        if (batch.Events.Count == 0) return;
        var forms = new StoredForms(level, batch.MessageCount);
        var codec = Rent();
        try
        {
            foreach (var e in batch.Events) forms.Add(e, codec.Encode(e.Json.Span));
        }
        finally
        {
            Return(codec);
        }
        batch.AttachStoredForms(forms);
    }

    /// <summary>The stored form of <paramref name="e"/>: the one <see cref="Prepare"/> made, else encoded now by <paramref name="codec"/>.</summary>
    public ReadOnlySpan<byte> StoredForm(IngestBatch batch, IngestMessage e, StoredEventCodec codec) =>
        batch.StoredForms is { } forms && forms.Format == level && forms.TryGet(e, out var form) ? form : codec.Encode(e.Json.Span);

    /// <summary>Gives <paramref name="codec"/> back for the next caller.</summary>
    public void Return(StoredEventCodec codec) => _idle.Add(codec);

    /// <inheritdoc/>
    public void Dispose()
    {
        while (_idle.TryTake(out var codec)) codec.Dispose();
    }
}
