using System.Collections.Concurrent;

namespace Sparkwatch.Storage.Compression;

/// <summary>Codecs for concurrent callers (readers, replicas' appends): each takes one, uses it alone, and gives it back.</summary>
public sealed class StoredEventCodecPool(int level) : IDisposable
{
    private readonly ConcurrentBag<StoredEventCodec> _idle = [];

    /// <summary>An idle codec, or a new one.</summary>
    public StoredEventCodec Rent() => _idle.TryTake(out var codec) ? codec : new StoredEventCodec(level);

    /// <summary>Gives <paramref name="codec"/> back for the next caller.</summary>
    public void Return(StoredEventCodec codec) => _idle.Add(codec);

    /// <inheritdoc/>
    public void Dispose()
    {
        while (_idle.TryTake(out var codec)) codec.Dispose();
    }
}
