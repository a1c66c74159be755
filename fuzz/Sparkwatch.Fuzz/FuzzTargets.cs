namespace Sparkwatch.Fuzz;

/// <summary>Every fuzz target: one per decoder and codec.</summary>
public static class FuzzTargets
{
    /// <summary>The targets, by name.</summary>
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new FuzzTarget[]
    {
        new ListenerTarget(),
        new ListenerBodyTarget(),
        new DelightTarget(),
        new EventLogTarget(codec: null),
        new EventLogTarget("lz4"),
        new EventLogTarget("lzf"),
        new EventLogTarget("snappy"),
        new EventLogTarget("zstd"),
        new RollingLogTarget(),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The target called <paramref name="name"/>, or an error listing the names.</summary>
    public static FuzzTarget Named(string name) =>
        All.TryGetValue(name, out var target) ? target : throw new ArgumentException($"No fuzz target '{name}'; targets: {string.Join(", ", All.Keys)}.");
}
