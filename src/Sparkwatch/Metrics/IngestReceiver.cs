namespace Sparkwatch.Metrics;

/// <summary>Which client an ingest endpoint serves: the <c>receiver</c> label of the ingest metrics.</summary>
public sealed class IngestReceiver
{
    private IngestReceiver(string label) => Label = label;

    /// <summary>The Data Mechanics listener's <c>POST /collect</c>.</summary>
    public static IngestReceiver Listener { get; } = new("listener");

    /// <summary>The Delight agent's endpoints.</summary>
    public static IngestReceiver Delight { get; } = new("delight");

    /// <summary>The label value.</summary>
    public string Label { get; }
}
