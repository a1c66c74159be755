namespace Sparkwatch.Fuzz.Tests;

/// <summary>Checks on what a run's <c>/events</c> gives back.</summary>
public static class StoredEvents
{
    /// <summary>Every event of <paramref name="sent"/> but the damaged one reads back verbatim; the damaged one may or may not.</summary>
    public static async Task AssertOthersStoredAsync(FuzzServer server, string jobName, string runId, string[] sent, int damaged, string input)
    {
        var stored = await server.Api.EventsAsync(jobName, runId);
        var missing = sent.Where((json, i) => i != damaged && !stored.Contains(json)).ToArray();
        if (missing.Length > 0 || stored.Count > sent.Length)
        {
            throw new FuzzAssertionException(
                $"after {input}, {stored.Count} events read back; {missing.Length} of the {sent.Length - 1} undamaged ones are missing: {string.Join(" | ", missing.Select(m => m[..Math.Min(80, m.Length)]))}");
        }
    }
}
