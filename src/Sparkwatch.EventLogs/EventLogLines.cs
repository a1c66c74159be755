using System.Buffers;

namespace Sparkwatch.EventLogs;

/// <summary>Splits a decompressed event log into its lines (one event JSON each), in constant memory.</summary>
public static class EventLogLines
{
    /// <summary>
    /// The non-empty lines of <paramref name="stream"/>, without their line ends. Each item is valid until the next
    /// is read. A last line without its line end is returned only when <paramref name="includeUnterminatedTail"/>
    /// (a finished log may lack the final newline; an in-progress log's last line may be half written).
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Read(Stream stream, bool includeUnterminatedTail = true)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int start = 0, end = 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var line = TrimCarriageReturn(buffer.AsMemory(start, newline));
                    start += newline + 1;
                    if (!line.IsEmpty) yield return line;
                    continue;
                }
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    if (includeUnterminatedTail && end > start) yield return TrimCarriageReturn(buffer.AsMemory(start, end - start));
                    yield break;
                }
                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlyMemory<byte> TrimCarriageReturn(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
}
