using System.Collections.Concurrent;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Events;

/// <summary>
/// Which <see cref="SparkRedactor"/> each run's events go through: the run's own <c>spark.redaction.regex</c> (and
/// <c>spark.sql.redaction.options.regex</c>) once this process has seen the run's environment update, else the
/// configured default. The environment update comes once, near the start, and the job, stage and SQL events that need
/// the pattern come later, in other payloads. Only runs with patterns of their own take an entry; past
/// <c>capacity</c> entries the table starts afresh, and a run it no longer knows (or one whose environment went to
/// another collector, or came before a restart) falls back to the default.
/// </summary>
public sealed class RunRedactors(SparkRedactor fallback, int capacity)
{
    /// <summary>Default for <c>capacity</c>: runs with patterns of their own remembered at once.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<RunKey, SparkRedactor> _runs = new();
    private readonly ConcurrentDictionary<(string Secrets, string SqlOptions), SparkRedactor?> _compiled = new();

    /// <summary>The redactor for the run's events other than its environment update.</summary>
    public SparkRedactor For(RunKey run) => _runs.TryGetValue(run, out var redactor) ? redactor : fallback;

    /// <summary>
    /// Reads the run's patterns from its environment update, remembers them for the run's later events and returns the
    /// redactor for the update itself. A pattern that is not a valid .NET regular expression falls back to the default.
    /// </summary>
    public SparkRedactor Learn(RunKey run, ReadOnlySpan<byte> environmentUpdateJson)
    {
        var (secrets, sqlOptions) = SparkRedactor.RunPatterns(environmentUpdateJson);
        var patterns = (secrets ?? fallback.Pattern, sqlOptions ?? fallback.SqlOptionsPattern);
        if (patterns == (fallback.Pattern, fallback.SqlOptionsPattern))
        {
            _runs.TryRemove(run, out _);
            return fallback;
        }
        // Count takes every lock of a ConcurrentDictionary: only a key not there yet pays for it.
        if (!_compiled.TryGetValue(patterns, out var compiled))
        {
            if (_compiled.Count >= capacity) _compiled.Clear();
            compiled = _compiled.GetOrAdd(patterns, Compile);
        }
        var redactor = compiled ?? fallback;
        if (!_runs.ContainsKey(run) && _runs.Count >= capacity) _runs.Clear();
        _runs[run] = redactor;
        return redactor;
    }

    private static SparkRedactor? Compile((string Secrets, string SqlOptions) patterns)
    {
        try
        {
            return SparkRedactor.FromSparkPattern(patterns.Secrets, patterns.SqlOptions);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
