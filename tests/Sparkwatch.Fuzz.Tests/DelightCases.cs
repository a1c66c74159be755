using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>A damaged Delight <c>/bulk</c> body.</summary>
/// <param name="Damage">What was done to it.</param>
/// <param name="JobName">The job its app id names.</param>
/// <param name="RunId">Its app id (the run).</param>
/// <param name="Lines">The event lines it carries before the damage.</param>
/// <param name="Body">The body to send.</param>
public sealed record DelightCase(Damage Damage, string JobName, string RunId, string[] Lines, byte[] Body)
{
    /// <inheritdoc/>
    public override string ToString() => $"Delight bulk payload with {Damage}";
}

/// <summary>
/// Real Delight payloads (four consecutive lines of the example log in <c>../shared/data</c>) and the ways to damage
/// them: the envelope's fields, its <c>data</c>, one event line, the raw bytes.
/// </summary>
public static class DelightCases
{
    private const int Lines = 4;

    private static readonly string[] Pool = File.ReadLines(TestPaths.DelightExampleLog)
        .Where(l => l.Length is > 0 and <= 2000 && !l.Contains("SparkListenerEnvironmentUpdate", StringComparison.Ordinal))
        .ToArray();

    /// <summary>Payloads damaged by one of <paramref name="damages"/>; a line damage edits the event lines before they are compressed.</summary>
    public static Gen<DelightCase> With(Gen<(Damage Damage, Func<string[], string[]>? EditLines)> damages) =>
        from start in Gen.Int[0, Pool.Length - Lines]
        from damage in damages
        select Build(Pool[start..(start + Lines)], damage.Damage, damage.EditLines);

    /// <summary>Damage to the envelope and its data.</summary>
    public static readonly Gen<(Damage, Func<string[], string[]>?)> Envelope = Gen.OneOf(
        from field in Gen.OneOf("dmAppId", "sentAt", "data", "counters") select new Damage($"{field} removed", Edit: e => e.Remove(field)),
        from field in Gen.OneOf("dmAppId", "sentAt", "data", "counters") from value in Values.SwappedType
        select new Damage($"{field} := {value}", Edit: e => e[field] = Values.Node(value)),
        from text in Values.BadText select new Damage($"dmAppId := \"{text}\"", Edit: e => e["dmAppId"] = text),
        from name in Values.StrangeName select new Damage($"dmAppId := \"{(name.Length > 12 ? name[..3] + "…" : name)}\"", Edit: e => e["dmAppId"] = name),
        from value in Values.HugeNumber select new Damage($"sentAt := {value}", Edit: e => e["sentAt"] = Values.Node(value)),
        from field in Gen.OneOf("messageCounter", "payloadCounter") from value in Gen.OneOf(Values.HugeNumber, Values.SwappedType)
        select new Damage($"counters.{field} := {value}", Edit: e => e["counters"]![field] = Values.Node(value)),
        from data in Gen.OneOf("not base64!", "", "AAAA", Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"Event\":\"x\"}")))
        select new Damage($"data := \"{data}\"", Edit: e => e["data"] = data),
        from gzip in Values.GzipBytes select new Damage($"data's {gzip.Description}", Edit: e => e["data"] = Convert.ToBase64String(gzip.Compressed!(Convert.FromBase64String((string)e["data"]!)))),
        Values.BodyBytes)
        .Select(damage => (damage, (Func<string[], string[]>?)null));

    /// <summary>Damage to one event line only: the others must be stored.</summary>
    public static readonly Gen<(Damage, Func<string[], string[]>?)> OneLine = Gen.Int[0, Lines - 1].SelectMany(i => Gen.OneOf(
        from text in Values.BadText select Line(i, $"Event := \"Spark{text}…\"", l => l.Replace("\"Event\":\"Spark", "\"Event\":\"Spark" + text, StringComparison.Ordinal)),
        from text in Values.BadText select Line(i, $"an application start whose App Name is \"{text}\"",
            _ => $"{{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"{text}\",\"App ID\":\"app-1\",\"Timestamp\":1,\"User\":\"u\"}}"),
        from marker in Gen.OneOf(Markers.Envelope) from at in Gen.Int[1, 40] select Line(i, $"{marker} at {at}", l => l.Insert(Math.Min(at, l.Length), marker)),
        from at in Gen.Double[0.05, 0.95] select Line(i, $"cut at {at:P0}", l => l[..(int)(l.Length * at)]),
        from text in Gen.OneOf("not json", "{}", "[1]", "{\"Event\":1}", "\"x\"", "{\"Event\":\"SparkListenerJobEnd\"} x")
        select Line(i, $"replaced by '{text}'", _ => text)));

    private static (Damage, Func<string[], string[]>?) Line(int i, string description, Func<string, string> edit) =>
        (new Damage($"line {i} {description}", i), lines => [.. lines.Select((l, j) => j == i ? edit(l) : l)]);

    private static DelightCase Build(string[] lines, Damage damage, Func<string[], string[]>? editLines)
    {
        var appId = $"fuzz-delight-{Guid.NewGuid()}";
        var sent = editLines?.Invoke(lines) ?? lines;
        var data = Values.Gzip(Markers.Apply(string.Join('\n', sent) + "\n"));
        var body = new JsonObject
        {
            ["dmAppId"] = appId,
            ["sentAt"] = 1_700_000_000_000,
            ["counters"] = new JsonObject { ["messageCounter"] = lines.Length, ["payloadCounter"] = 1 },
            ["data"] = Convert.ToBase64String(data),
        };
        damage.Edit?.Invoke(body);
        var bytes = Markers.Apply(body.ToJsonString());
        if (damage.Raw is not null) bytes = damage.Raw(bytes);
        return new DelightCase(damage, "fuzz-delight", appId, lines, bytes);
    }
}
