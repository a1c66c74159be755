namespace Sparkwatch.Endpoints;

/// <summary>Whether a run was a regression, and the duration above which it would have been.</summary>
internal readonly record struct Verdict(bool Flagged, long? ThresholdMs);

/// <summary>Flags runs slower than their job's recent baseline by a robust margin (median + k·MAD).</summary>
internal static class Regressions
{
    public const int Baseline = 20;
    public const int MinBaseline = 5;
    public const double K = 3;
    public const double MinMadShare = 0.05;

    public const string Rule = "A completed run is flagged when its duration exceeds median + 3 × MAD of the job's previous 20 completed runs " +
        "(at least 5 needed; MAD is the median absolute deviation, taken as at least 5 % of the median so near-identical runs do not flag noise).";

    /// <summary>Judges each run of <paramref name="durations"/> (oldest first; <c>null</c> for runs not completed) against the completed runs before it.</summary>
    public static Verdict[] Judge(IReadOnlyList<long?> durations)
    {
        var verdicts = new Verdict[durations.Count];
        var window = new Queue<long>();
        for (var i = 0; i < durations.Count; i++)
        {
            if (durations[i] is not { } d) continue;
            if (window.Count >= MinBaseline)
            {
                var median = Median([.. window]);
                var mad = Math.Max(Median([.. window.Select(x => Math.Abs(x - median))]), MinMadShare * median);
                var threshold = (long)Math.Ceiling(median + K * mad);
                verdicts[i] = new Verdict(d > threshold, threshold);
            }
            window.Enqueue(d);
            if (window.Count > Baseline) window.Dequeue();
        }
        return verdicts;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double Median(long[] values) => Median([.. values.Select(v => (double)v)]);
}
