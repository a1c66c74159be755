namespace Sparkwatch.Fuzz;

/// <summary>
/// One decoder under fuzzing. <see cref="Run"/> feeds it an input and lets through only the exceptions the decoder
/// documents for bad input (a refusal); anything else escaping it is a finding.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name used on the command line and for corpus folders, e.g. <c>listener</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The Spark compression codec the seeds must be compressed with before fuzzing (<c>lz4</c>, <c>lzf</c>,
    /// <c>snappy</c>, <c>zstd</c>), or null when <see cref="Seeds"/> are ready as they are.
    /// </summary>
    public virtual string? SeedCodec => null;

    /// <summary>Decodes <paramref name="input"/> as the service would; returns normally or throws a finding.</summary>
    public void Run(byte[] input)
    {
        try
        {
            Decode(input);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            // The decoder said no, as documented: not a finding.
        }
    }

    /// <summary>Small seed inputs made from the real data in <paramref name="sharedData"/> (file name, bytes).</summary>
    public abstract IEnumerable<(string Name, byte[] Bytes)> Seeds(string sharedData);

    /// <summary>Decodes the input and reads every part of the result a caller would read.</summary>
    protected abstract void Decode(byte[] input);

    /// <summary>True for the exceptions the decoder documents as its answer to bad input.</summary>
    protected abstract bool IsRefusal(Exception e);
}
