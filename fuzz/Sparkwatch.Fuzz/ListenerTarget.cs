using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;

namespace Sparkwatch.Fuzz;

/// <summary>
/// The Data Mechanics listener's envelope, already inflated, through <see cref="ListenerPayloadDecoder"/>: read both by
/// its canonical fast path and by the general reader alone, which must agree (<see cref="ListenerDecodePaths"/>).
/// </summary>
public sealed class ListenerTarget : FuzzTarget
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ListenerDecodePaths _paths = new(maxNameLength: 4096);

    /// <inheritdoc/>
    public override string Name => "listener";

    /// <inheritdoc/>
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(string sharedData) =>
        CaptureSeeds(sharedData).Select((json, i) => ($"capture-{i:D2}.json", Encoding.UTF8.GetBytes(json)));

    /// <summary>Each captured request body, cut to its first messages so that it stays small.</summary>
    public static IEnumerable<string> CaptureSeeds(string sharedData)
    {
        foreach (var line in File.ReadLines(Path.Combine(sharedData, "dm-listener-capture.ndjson")))
        {
            var envelope = JsonNode.Parse(line)!.AsObject();
            var messages = envelope["messages"]!.AsArray();
            while (messages.Count > 1 && Encoding.UTF8.GetByteCount(envelope.ToJsonString(Compact)) > Seed.MaxBytes) messages.RemoveAt(messages.Count - 1);
            var json = envelope.ToJsonString(Compact);
            if (Encoding.UTF8.GetByteCount(json) <= Seed.MaxBytes) yield return json;
        }
    }

    /// <inheritdoc/>
    protected override void Decode(byte[] input)
    {
        _paths.Decode(input, Consume.Batch);
    }

    /// <inheritdoc/>
    /// <remarks>Refusals are caught inside <see cref="ListenerDecodePaths"/>, which compares them too.</remarks>
    protected override bool IsRefusal(Exception e) => e is EnvelopeException;
}
