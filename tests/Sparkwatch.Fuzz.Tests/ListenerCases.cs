using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>A damaged listener payload, ready to POST to <c>/collect</c>.</summary>
/// <param name="Damage">What was done to it.</param>
/// <param name="JobName">Its job name after the damage, when still a string.</param>
/// <param name="RunId">Its run id after the damage, when still a string.</param>
/// <param name="Contents">The event JSON of its messages before the damage.</param>
/// <param name="Body">The body to send.</param>
/// <param name="Gzip">True when the body is sent with <c>Content-Encoding: gzip</c>.</param>
public sealed record ListenerCase(Damage Damage, string? JobName, string? RunId, string[] Contents, byte[] Body, bool Gzip)
{
    /// <inheritdoc/>
    public override string ToString() => $"listener payload ({(Gzip ? "gzip" : "plain")}) with {Damage}";
}

/// <summary>
/// Real listener payloads (four consecutive events of the capture in <c>../shared/data</c>) and the ways to damage
/// them: the envelope's fields, one message's fields, the raw bytes, the gzip stream.
/// </summary>
public static class ListenerCases
{
    private const int Messages = 4;
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Event JSON of the capture's messages (environment updates left out: their secrets are redacted, so they do not read back verbatim).</summary>
    private static readonly string[] Pool = File.ReadLines(TestPaths.ListenerCapture)
        .SelectMany(line => JsonNode.Parse(line)!["messages"]!.AsArray())
        .Where(m => (string?)m!["message_type"] == "spark-event")
        .Select(m => (string)m!["content"]!)
        .Where(c => c.Length <= 2000 && !c.Contains("SparkListenerEnvironmentUpdate", StringComparison.Ordinal))
        .ToArray();

    /// <summary>Payloads damaged by one of <paramref name="damages"/>.</summary>
    public static Gen<ListenerCase> With(Gen<Damage> damages) =>
        from start in Gen.Int[0, Pool.Length - Messages]
        from gzip in Gen.Bool
        from damage in damages
        select Build(Pool[start..(start + Messages)], gzip || damage.Compressed is not null, damage);

    /// <summary>Damage to the envelope: its names, counters and messages array.</summary>
    public static readonly Gen<Damage> Envelope = Gen.OneOf(
        from field in Gen.OneOf("job_name", "run_id", "messages", "counters") select new Damage($"{field} removed", Edit: e => e.Remove(field)),
        from field in Gen.OneOf("job_name", "run_id", "messages", "counters") from value in Values.SwappedType
        select new Damage($"{field} := {value}", Edit: e => e[field] = Values.Node(value)),
        from field in Gen.OneOf("job_name", "run_id") from text in Values.BadText select new Damage($"{field} := \"{text}\"", Edit: e => e[field] = text),
        from field in Gen.OneOf("job_name", "run_id") from name in Values.StrangeName
        select new Damage($"{field} := \"{Short(name)}\"", Edit: e => e[field] = name) { NameMustReadBack = true },
        from field in Gen.OneOf("message_counter", "payload_counter") from value in Gen.OneOf(Values.HugeNumber, Values.SwappedType)
        select new Damage($"counters.{field} := {value}", Edit: e => e["counters"]![field] = Values.Node(value)));

    /// <summary>Damage to one message only: the others must be stored.</summary>
    public static readonly Gen<Damage> OneMessage = Gen.Int[0, Messages - 1].SelectMany(MessageDamage);

    private static Gen<Damage> MessageDamage(int i) => Gen.OneOf(
        from field in Gen.OneOf("generated_at", "message_type", "content") select new Damage($"messages[{i}].{field} removed", i, e => Message(e, i).Remove(field)),
        from value in Gen.OneOf(Values.SwappedType, Values.HugeNumber) select new Damage($"messages[{i}].generated_at := {value}", i, e => Message(e, i)["generated_at"] = Values.Node(value)),
        from value in Values.SwappedType select new Damage($"messages[{i}].message_type := {value}", i, e => Message(e, i)["message_type"] = Values.Node(value)),
        from text in Values.BadText select new Damage($"messages[{i}].message_type := \"{text}\"", i, e => Message(e, i)["message_type"] = text),
        from value in Values.SwappedType.Where(v => !v.StartsWith('"')) select new Damage($"messages[{i}].content := {value}", i, e => Message(e, i)["content"] = Values.Node(value)),
        from text in Gen.OneOf("", "not json", "{}", "[1]", "{\"Event\":1}", "{\"Event\":\"SparkListenerJobEnd\"", "{\"Event\":\"SparkListenerJobEnd\"} x")
        select new Damage($"messages[{i}].content := '{text}'", i, e => Message(e, i)["content"] = text),
        from text in Values.BadInnerText select new Damage($"messages[{i}].content's Event := \"{text}…\"", i, e => EditContent(e, i, c => c.Replace("\"Event\":\"Spark", "\"Event\":\"" + text, StringComparison.Ordinal))),
        from text in Values.BadInnerText select new Damage($"messages[{i}].content := an application start whose App Name is \"{text}\"", i,
            e => Message(e, i)["content"] = $"{{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"{text}\",\"App ID\":\"app-1\",\"Timestamp\":1,\"User\":\"u\"}}"),
        from marker in Gen.OneOf(Markers.Envelope) from at in Gen.Int[1, 30]
        select new Damage($"messages[{i}].content with {marker} at {at}", i, e => EditContent(e, i, c => c.Insert(Math.Min(at, c.Length), marker))),
        from value in Values.SwappedType select new Damage($"messages[{i}] := {value}", i, e => e["messages"]!.AsArray()[i] = Values.Node(value)));

    private static JsonObject Message(JsonObject envelope, int i) => envelope["messages"]!.AsArray()[i]!.AsObject();

    private static void EditContent(JsonObject envelope, int i, Func<string, string> edit) => Message(envelope, i)["content"] = edit((string)Message(envelope, i)["content"]!);

    private static string Short(string text) => text.Length <= 12 ? text : $"{text[..3]}…({text.Length} chars)";

    private static ListenerCase Build(string[] contents, bool gzip, Damage damage)
    {
        var envelope = new JsonObject
        {
            ["job_name"] = "fuzz-listener",
            ["run_id"] = "run-" + Guid.NewGuid().ToString("N"),
            ["sent_at"] = 1_700_000_000_000,
            ["counters"] = new JsonObject { ["message_counter"] = contents.Length, ["payload_counter"] = 1 },
            ["messages"] = new JsonArray([.. contents.Select((c, i) => (JsonNode)new JsonObject
            {
                ["generated_at"] = 1_700_000_000_000 + i,
                ["message_type"] = "spark-event",
                ["content"] = c,
            })]),
        };
        damage.Edit?.Invoke(envelope);
        var body = Markers.Apply(envelope.ToJsonString(Relaxed));
        if (damage.Raw is not null) body = damage.Raw(body);
        if (gzip) body = Values.Gzip(body);
        if (damage.Compressed is not null) body = damage.Compressed(body);
        return new ListenerCase(damage, Text(envelope["job_name"]), Text(envelope["run_id"]), contents, body, gzip);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
