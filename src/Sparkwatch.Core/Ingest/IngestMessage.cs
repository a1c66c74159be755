using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Ingest;

/// <summary>One Spark event as received.</summary>
/// <param name="Ordinal">Position of the message in its payload, counting every message (heartbeats too) from 0.</param>
/// <param name="GeneratedAt">Epoch-millisecond time the client saw the event.</param>
/// <param name="Facts">The few facts read from the event at write time.</param>
/// <param name="Json">The event's own JSON, exactly as received (redacted where it held secrets).</param>
/// <param name="Hash">The <see cref="ContentHash"/> of the content as received, before any rewrite.</param>
public readonly record struct IngestMessage(int Ordinal, long GeneratedAt, EventFacts Facts, ReadOnlyMemory<byte> Json, long Hash);

/// <summary>A message kept aside because its content is not a valid Spark event.</summary>
/// <param name="Ordinal">Position of the message in its payload, counting every message from 0.</param>
/// <param name="GeneratedAt">Epoch-millisecond time the client saw the message.</param>
/// <param name="Reason">Why it was not accepted as an event.</param>
/// <param name="Content">The content exactly as received.</param>
public sealed record QuarantinedMessage(int Ordinal, long GeneratedAt, string Reason, ReadOnlyMemory<byte> Content);
