namespace Sparkwatch.Core.Wire;

/// <summary>The listener's envelope as read, before its names and counters are checked and its messages normalised.</summary>
internal sealed class ListenerEnvelope
{
    public string? JobName;
    public string? RunId;
    public long? MessageCounter;
    public List<ListenerMessage>? Messages;

    /// <summary>The initial capacity of <see cref="Messages"/> for a body of <paramref name="bodyLength"/> bytes.</summary>
    /// <remarks>Sized for messages of about a kilobyte (Spark events are 0.2–20 KB), so that a payload's list rarely grows.</remarks>
    public static int MessageCapacityFor(int bodyLength) => Math.Clamp(bodyLength / 1024, 4, 4096);
}

/// <summary>One entry of <c>messages</c>, its content copied (unescaped) into the batch's arena.</summary>
/// <param name="GeneratedAt">The client's time of the message, when it was an integer.</param>
/// <param name="Type">The <c>message_type</c>.</param>
/// <param name="ContentStart">Where the content starts in the arena.</param>
/// <param name="ContentLength">Its length in bytes.</param>
/// <param name="Fault">Why the message is quarantined before its content is looked at, if it is.</param>
internal readonly record struct ListenerMessage(long? GeneratedAt, string? Type, int ContentStart, int ContentLength, string? Fault);
