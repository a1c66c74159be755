namespace Sparkwatch.Fuzz;

/// <summary>Runs saved inputs (a corpus, or crashes AFL++ found) through a target once each, in this process.</summary>
public static class Replay
{
    /// <summary>The files of <paramref name="paths"/> (folders expanded, not recursively), in name order.</summary>
    public static IEnumerable<string> Inputs(IEnumerable<string> paths) =>
        paths.SelectMany(p => Directory.Exists(p)
            ? Directory.GetFiles(p).Where(IsInput).Order(StringComparer.Ordinal)
            : (IEnumerable<string>)[p]);

    // AFL++ leaves a README.txt beside the crashes it saves.
    private static bool IsInput(string file) => Path.GetFileName(file) is var name && !name.StartsWith('.') && name != "README.txt";

    /// <summary>The finding of <paramref name="target"/> on <paramref name="input"/>, or null.</summary>
    public static Exception? Finding(FuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>The first frame of Sparkwatch code in the exception's stack (where our code let it through).</summary>
    public static string ThrowSite(Exception e) =>
        e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Sparkwatch.", StringComparison.Ordinal) && !l.StartsWith("at Sparkwatch.Fuzz.", StringComparison.Ordinal))?[3..]
        ?? "(no Sparkwatch frame)";

    /// <summary>Replays every input, writes each finding to <paramref name="output"/>; 1 when there was one, else 0.</summary>
    public static int Run(FuzzTarget target, IEnumerable<string> paths, TextWriter output)
    {
        int inputs = 0, findings = 0;
        foreach (var file in Inputs(paths))
        {
            inputs++;
            if (Finding(target, File.ReadAllBytes(file)) is not { } e) continue;
            findings++;
            output.WriteLine($"FINDING {target.Name} {file}: {e.GetType().FullName}: {e.Message}");
            output.WriteLine($"   at {ThrowSite(e)}");
        }
        output.WriteLine($"{target.Name}: {inputs} inputs replayed, {findings} findings");
        return findings == 0 ? 0 : 1;
    }
}
