using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparkwatch.Bench;

/// <summary>The command line: parse, run every phase, print the targets table, write the JSON result file.</summary>
internal static class BenchCommand
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Contains("--help"))
        {
            output.WriteLine(BenchOptions.Usage);
            return 0;
        }
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            // A bad command line is the user's to fix: its reason (and the usage), not a stack trace.
            Console.Error.WriteLine(e is ArgumentException ? e.Message : $"{e.Message} Counts, sizes and durations are whole numbers.\n{BenchOptions.Usage}");
            return 2;
        }
        if (options.BigRun) return await BigRunAsync(options, output);
        if (options.PrefillOnly)
        {
            await new BenchHarness(options, output).PrefillOnlyAsync();
            return 0;
        }
        var result = await new BenchHarness(options, output).RunAsync();
        TargetTable.Print(result, output);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(result, Json));
        output.WriteLine($"machine: {result.Machine.Cores} cores, load average at the end {result.Machine.LoadAverageAtEnd}");
        output.WriteLine($"result: {Path.GetFullPath(options.Output)}");
        return 0;
    }

    private static async Task<int> BigRunAsync(BenchOptions options, TextWriter output)
    {
        var serverDll = options.Url is not null ? "" : BenchHarness.ServerDll(options, BenchHarness.RepositoryRoot());
        var dataDir = BenchHarness.DataDirectory(options);
        try
        {
            var result = await new BigRunBench(options, output).RunAsync(serverDll, dataDir);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
            await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(result, Json));
            output.WriteLine($"machine: {result.Machine.Cores} cores, load average at the end {result.Machine.LoadAverageAtEnd}");
            output.WriteLine($"result: {Path.GetFullPath(options.Output)}");
            return 0;
        }
        finally
        {
            BenchHarness.DeleteDataDirectory(options, dataDir);
        }
    }
}
