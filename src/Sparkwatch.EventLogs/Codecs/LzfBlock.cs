namespace Sparkwatch.EventLogs.Codecs;

/// <summary>Decodes one raw LZF block (the algorithm of liblzf and compress-lzf); no package provides it for .NET.</summary>
internal static class LzfBlock
{
    /// <summary>
    /// Decodes <paramref name="input"/> into exactly <paramref name="output"/>'s length; <c>false</c> when the data is
    /// corrupt (a reference or literal run outside the buffers, or a different decoded length).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int inPos = 0, outPos = 0;
        while (inPos < input.Length)
        {
            int control = input[inPos++];
            if (control < 32)
            {
                // Literal run of control + 1 bytes.
                var length = control + 1;
                if (inPos + length > input.Length || outPos + length > output.Length) return false;
                input.Slice(inPos, length).CopyTo(output[outPos..]);
                inPos += length;
                outPos += length;
                continue;
            }
            // Back reference: length in the top 3 bits (7 means "plus the next byte"), distance in 13 bits.
            var runLength = control >> 5;
            if (runLength == 7)
            {
                if (inPos >= input.Length) return false;
                runLength += input[inPos++];
            }
            if (inPos >= input.Length) return false;
            var distance = ((control & 0x1F) << 8) + input[inPos++] + 1;
            runLength += 2;
            var from = outPos - distance;
            if (from < 0 || outPos + runLength > output.Length) return false;
            // Byte by byte: the source may overlap the bytes being written (a repeated pattern).
            for (var i = 0; i < runLength; i++) output[outPos + i] = output[from + i];
            outPos += runLength;
        }
        return outPos == output.Length;
    }
}
