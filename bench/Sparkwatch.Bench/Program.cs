using System.Text.Json;
using System.Text.Json.Serialization;
using Sparkwatch.Bench;

// `dotnet run -c Release --project bench/Sparkwatch.Bench [-- --smoke]`: see docs/benchmarks.md.
if (args.Contains("--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
var options = BenchOptions.Parse(args);
var result = await new BenchHarness(options, Console.Out).RunAsync();
TargetTable.Print(result, Console.Out);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(result, new JsonSerializerOptions
{
    WriteIndented = true,
    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
}));
Console.WriteLine($"machine: {result.Machine.Cores} cores, load average at the end {result.Machine.LoadAverageAtEnd}");
Console.WriteLine($"result: {Path.GetFullPath(options.Output)}");
return 0;
