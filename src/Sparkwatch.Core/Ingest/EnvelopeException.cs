namespace Sparkwatch.Core.Ingest;

/// <summary>A payload that cannot be decoded at all; the message says what is wrong in words a client author can act on.</summary>
public sealed class EnvelopeException(string message) : Exception(message);
