using System.Text.Json;

namespace Sparkwatch.Testing;

/// <summary>
/// Spark's HistoryServerSuite comparison: object keys matched by name (order free), arrays position by position, numbers
/// by their text (<c>1</c> and <c>1.0</c> differ), <c>null</c> and absent differ.
/// </summary>
public static class JsonTree
{
    /// <summary>The path of the first difference, with both sides; <c>null</c> when equal.</summary>
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind) return $"{path}: expected {Show(expected)}, got {Show(actual)}";
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                if (expectedNames.Except(actualNames).FirstOrDefault() is { } missing) return $"{path}.{missing}: missing";
                if (actualNames.Except(expectedNames).FirstOrDefault() is { } extra) return $"{path}.{extra}: unexpected, {Show(actual.GetProperty(extra))}";
                foreach (var name in expectedNames)
                {
                    if (FirstDifference(expected.GetProperty(name), actual.GetProperty(name), $"{path}.{name}") is { } d) return d;
                }
                return null;
            case JsonValueKind.Array:
                var e = expected.EnumerateArray().ToList();
                var a = actual.EnumerateArray().ToList();
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } d) return d;
                }
                return e.Count == a.Count ? null : $"{path}: expected {e.Count} items, got {a.Count}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            default:
                return expected.GetRawText() == actual.GetRawText() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }
    }

    private static string Show(JsonElement e)
    {
        var text = e.ValueKind == JsonValueKind.Undefined ? "(absent)" : e.GetRawText();
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
