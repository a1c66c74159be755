namespace Sparkwatch.Retention;

/// <summary>Retention of hot events behind the archive (docs/archive.md, "Retention").</summary>
public sealed class RetentionOptions
{
    /// <summary>
    /// The raw events of a completed run silent this long are dropped from the store once the archive holds the whole run
    /// (and every sink applied it); <c>/events</c> then reads them from the archive. 0 (default): off, the store keeps everything.
    /// </summary>
    public TimeSpan HotEventsAge { get; set; } = TimeSpan.Zero;

    /// <summary>How often the process running the archive sink looks for runs past <see cref="HotEventsAge"/>.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(10);
}
