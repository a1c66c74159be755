using System.Text.Json;

namespace Sparkwatch.Model.Rows;

/// <summary>Lenient reads of Spark event fields: a missing or wrongly typed field reads as its default.</summary>
internal static class Json
{
    /// <summary>The nesting an event may have, as ingest accepts it (a SQL plan nests two levels per operator).</summary>
    public const int MaxDepth = 1024;

    public static JsonElement Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    public static long Long(this JsonElement e, string name, long fallback = 0) => e.Prop(name).AsLong() ?? fallback;

    public static long? AsLong(this JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetInt64(out var l) => l,
        JsonValueKind.Number when v.TryGetDouble(out var d) => (long)d,
        JsonValueKind.String when long.TryParse(v.GetString(), out var s) => s,
        _ => null,
    };

    /// <summary>A number field as a double; 0 when missing, not a number or beyond double's range (<c>1e999</c>).</summary>
    public static double Double(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : 0;

    public static long? LongOrNull(this JsonElement e, string name) => e.Prop(name).AsLong();

    public static int Int(this JsonElement e, string name, int fallback = 0) => (int)e.Long(name, fallback);

    public static string? Str(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>An executor id; Spark 1's <c>&lt;driver&gt;</c> reads as <c>driver</c>, as Spark reads it.</summary>
    public static string ExecutorId(this JsonElement e, string name = "Executor ID") => e.Str(name) is "<driver>" ? "driver" : e.Str(name) ?? "";

    public static bool Bool(this JsonElement e, string name) => e.Prop(name).ValueKind == JsonValueKind.True;

    public static IEnumerable<JsonElement> Items(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    /// <summary>A JSON scalar as Spark's accumulable <c>toString</c> shows it (strings unquoted).</summary>
    public static string? Text(this JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => v.GetRawText(),
    };

    /// <summary>An object of string values (properties, log URLs), in the order given.</summary>
    public static Dictionary<string, string> StringMap(this JsonElement e, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.Prop(name) is { ValueKind: JsonValueKind.Object } o)
        {
            foreach (var p in o.EnumerateObject()) map[p.Name] = p.Value.Text() ?? "";
        }
        return map;
    }
}
