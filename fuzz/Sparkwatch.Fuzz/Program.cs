using Sparkwatch.Fuzz;

// The fuzz driver. scripts/fuzz.sh runs it under AFL++; docs/fuzzing.md says how to use it by hand.
const string Usage = """
    usage: Sparkwatch.Fuzz list                            the targets, with the codec their seeds need
           Sparkwatch.Fuzz seed <target> <dir> <shared-data>  writes the target's seeds made from the real data
           Sparkwatch.Fuzz afl <target>                    runs under afl-fuzz (SharpFuzz), input on stdin
           Sparkwatch.Fuzz replay <target> <file|dir>...   runs inputs once each; exit code 1 on any finding
    """;

switch (args)
{
    case ["list"]:
        foreach (var target in FuzzTargets.All.Values) Console.WriteLine($"{target.Name} {target.SeedCodec ?? "-"}");
        return 0;
    case ["seed", var name, var folder, var sharedData]:
        Directory.CreateDirectory(folder);
        foreach (var (file, bytes) in FuzzTargets.Named(name).Seeds(sharedData)) File.WriteAllBytes(Path.Combine(folder, file), bytes);
        return 0;
    case ["afl", var name]:
        // No instrumented code may run before SharpFuzz has set up AFL's shared memory: the targets (whose
        // constructors run decoder code) are made inside the callback.
        FuzzTarget? aflTarget = null;
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var input = new MemoryStream();
            stream.CopyTo(input);
            (aflTarget ??= FuzzTargets.Named(name)).Run(input.ToArray());
        });
        return 0;
    case ["replay", var name, .. var paths] when paths.Length > 0:
        return Replay.Run(FuzzTargets.Named(name), paths, Console.Out);
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
