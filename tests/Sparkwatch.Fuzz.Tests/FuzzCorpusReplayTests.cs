using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// Every fuzz target, in this process and without AFL++: its seeds made from the real data, and the inputs in
/// <c>fuzz/regressions/&lt;target&gt;/</c> (crashes the fuzzer once found, kept so they stay fixed), end in a result or a
/// documented refusal, never another exception.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_and_past_findings_decode_or_are_refused(string name)
    {
        var target = FuzzTargets.Named(name);
        var inputs = target.Seeds(TestPaths.SharedData).Select(seed => (seed.Name, seed.Bytes)).ToList();
        var regressions = Path.Combine(TestPaths.RepositoryRoot, "fuzz", "regressions", name);
        if (Directory.Exists(regressions)) inputs.AddRange(Replay.Inputs([regressions]).Select(file => (file, File.ReadAllBytes(file))));
        Assert.NotEmpty(inputs);

        var findings = inputs
            .Select(input => (input.Item1, Finding: Replay.Finding(target, input.Item2)))
            .Where(r => r.Finding is not null)
            .Select(r => $"{r.Item1}: {r.Finding!.GetType().Name}: {r.Finding.Message} at {Replay.ThrowSite(r.Finding)}")
            .ToArray();

        Assert.True(findings.Length == 0, string.Join("\n", findings));
    }
}
