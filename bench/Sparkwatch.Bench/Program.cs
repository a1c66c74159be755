using Sparkwatch.Bench;

// `dotnet run -c Release --project bench/Sparkwatch.Bench [-- --smoke]`: see docs/benchmarks.md.
return await BenchCommand.RunAsync(args, Console.Out);
