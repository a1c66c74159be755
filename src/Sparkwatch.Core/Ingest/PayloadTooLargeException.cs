namespace Sparkwatch.Core.Ingest;

/// <summary>A payload whose decoded form is over a configured limit; the message names the limit and its setting.</summary>
public sealed class PayloadTooLargeException(string message) : Exception(message);
