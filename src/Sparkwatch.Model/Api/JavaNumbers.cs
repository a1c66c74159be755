using System.Globalization;

namespace Sparkwatch.Model.Api;

/// <summary>Doubles as Spark's JSON writes them (Java's <c>Double.toString</c>): <c>17100.0</c>, <c>0.05</c>, <c>1.2345678E7</c>.</summary>
internal static class JavaNumbers
{
    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "\"NaN\"";
        var abs = Math.Abs(value);
        if (abs == 0 || (abs >= 1e-3 && abs < 1e7))
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('.') || text.Contains('E') ? text : text + ".0";
        }
        var exponent = (int)Math.Floor(Math.Log10(abs));
        var mantissa = value / Math.Pow(10, exponent);
        var m = mantissa.ToString("R", CultureInfo.InvariantCulture);
        if (!m.Contains('.')) m += ".0";
        return $"{m}E{exponent}";
    }
}
