using CsCheck;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// How long the property tests run: <c>SPARKWATCH_FUZZ_ITERATIONS</c> samples each (default 150, a few seconds per
/// property). A failure names the damaged input, and the CsCheck seed that replays it (pass it as <c>CsCheck_Seed</c>).
/// </summary>
public static class Property
{
    /// <summary>Samples per property.</summary>
    public static int Iterations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("SPARKWATCH_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 150;

    /// <summary>Checks <paramref name="property"/> on <see cref="Iterations"/> samples of <paramref name="gen"/> divided by <paramref name="costPerSample"/>, one at a time.</summary>
    public static Task CheckAsync<T>(Gen<T> gen, Func<T, Task> property, int costPerSample = 1) where T : notnull =>
        gen.SampleAsync(property, iter: Math.Max(1, Iterations / costPerSample), threads: 1, print: Print);

    private static string Print<T>(T sample) => sample is System.Collections.IEnumerable items and not string
        ? string.Join("; ", items.Cast<object>())
        : sample?.ToString() ?? "";
}
