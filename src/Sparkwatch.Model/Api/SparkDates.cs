using System.Globalization;

namespace Sparkwatch.Model.Api;

/// <summary>Spark's REST date format, <c>2015-02-03T16:42:40.000GMT</c>, and the date parameters it accepts.</summary>
public static class SparkDates
{
    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Formats epoch milliseconds; a time outside years 1–9999 (an event can carry any long) as the nearest end of that range.</summary>
    public static string Format(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(epochMs, MinMs, MaxMs)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'GMT'", CultureInfo.InvariantCulture);

    /// <summary>Parses a date parameter as Spark does: <c>yyyy-MM-dd'T'HH:mm:ss.SSSz</c>, <c>yyyy-MM-dd</c> (GMT) or epoch milliseconds.</summary>
    public static bool TryParse(string? text, out long epochMs)
    {
        epochMs = 0;
        if (string.IsNullOrEmpty(text)) return false;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out epochMs)) return true;
        var normalized = text.EndsWith("GMT", StringComparison.Ordinal) ? text[..^3] + "Z" : text;
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd"];
        if (DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            epochMs = parsed.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }
}
