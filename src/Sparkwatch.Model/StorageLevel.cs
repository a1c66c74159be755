using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Spark's StorageLevel as its event JSON carries it (<c>Storage Level</c>).</summary>
internal readonly record struct StorageLevel(bool UseDisk, bool UseMemory, bool UseOffHeap, bool Deserialized, int Replication)
{
    public static StorageLevel Read(JsonElement e) =>
        new(e.Bool("Use Disk"), e.Bool("Use Memory"), e.Bool("Use Off Heap"), e.Bool("Deserialized"), e.Int("Replication"));

    /// <summary>A level that stores something: a block reported with an invalid level was dropped.</summary>
    public bool IsValid => (UseMemory || UseDisk) && Replication > 0;

    /// <summary>Spark's <c>StorageLevel.description</c>, e.g. <c>Disk Memory Deserialized 1x Replicated</c>.</summary>
    public string Description =>
        (UseDisk ? "Disk " : "") + (UseMemory ? (UseOffHeap ? "Memory (off heap) " : "Memory ") : "")
        + (Deserialized ? "Deserialized " : "Serialized ") + FormattableString.Invariant($"{Replication}x Replicated");
}
