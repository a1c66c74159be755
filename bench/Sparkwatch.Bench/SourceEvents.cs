using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sparkwatch.Bench;

/// <summary>
/// The real Spark events the load is made of: every event of the shared logs and of the listener capture, in file
/// order, each kept escaped as it travels inside the listener's <c>content</c> string.
/// </summary>
internal sealed class SourceEvents
{
    private SourceEvents(List<byte[]> raw, List<byte[]> escaped, long rawBytes)
    {
        Raw = raw;
        Escaped = escaped;
        RawBytes = rawBytes;
    }

    /// <summary>Each event's own JSON (UTF-8).</summary>
    public IReadOnlyList<byte[]> Raw { get; }

    /// <summary>Each event's JSON, escaped for a JSON string (without the quotes).</summary>
    public IReadOnlyList<byte[]> Escaped { get; }

    /// <summary>Total size of the events' own (unescaped) JSON.</summary>
    public long RawBytes { get; }

    /// <summary>Raw JSON size of the event at <paramref name="index"/> of the endless cycle of events.</summary>
    public int RawSizeAt(long index) => _rawSizes[(int)(index % Escaped.Count)];

    private int[] _rawSizes = [];

    public static SourceEvents Load(string sharedData)
    {
        var lines = new List<string>();
        var logs = Directory.EnumerateFiles(Path.Combine(sharedData, "spark-events"), "*", SearchOption.AllDirectories)
            .Append(Path.Combine(sharedData, "delight-example-spark3.eventlog"))
            .Order(StringComparer.Ordinal);
        foreach (var log in logs) lines.AddRange(File.ReadLines(log).Where(l => l.StartsWith('{')));
        foreach (var body in File.ReadLines(Path.Combine(sharedData, "dm-listener-capture.ndjson")))
        {
            using var envelope = JsonDocument.Parse(body);
            foreach (var message in envelope.RootElement.GetProperty("messages").EnumerateArray())
            {
                if (message.GetProperty("message_type").GetString() == "spark-event") lines.Add(message.GetProperty("content").GetString()!);
            }
        }
        if (lines.Count == 0) throw new InvalidOperationException($"No events found under {sharedData}.");
        var escaped = lines.Select(l => JsonEncodedText.Encode(l, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray()).ToList();
        var raw = lines.Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        var sizes = raw.Select(r => r.Length).ToArray();
        return new SourceEvents(raw, escaped, sizes.Sum(s => (long)s)) { _rawSizes = sizes };
    }
}
