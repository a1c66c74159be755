namespace Sparkwatch.Core.Ingest;

/// <summary>A payload (as sent, or once inflated or decoded) over a configured limit; the message names the limit and its setting.</summary>
public sealed class PayloadTooLargeException(string message) : Exception(message);
