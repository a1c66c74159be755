using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Sparkwatch.MicroBench -- --filter '*'` (add `--job short` for a quick pass).
BenchmarkSwitcher.FromAssembly(typeof(Sparkwatch.MicroBench.DecodeBenchmarks).Assembly).Run(args);
