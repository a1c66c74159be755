using Sparkwatch.Hosting;

namespace Sparkwatch.Commands;

/// <summary>The import command's arguments: paths, run naming overrides, and the server's own settings flags.</summary>
internal sealed record ImportArguments(IReadOnlyList<string> Paths, string? JobName, string? RunId, string[] ConfigurationArgs)
{
    public static bool TryParse(string[] args, out ImportArguments arguments, out string? error)
    {
        var paths = new List<string>();
        var configuration = new List<string>();
        string? jobName = null, runId = null;
        arguments = new ImportArguments([], null, null, []);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--job-name" or "--run-id")
            {
                if (i + 1 >= args.Length || string.IsNullOrEmpty(args[i + 1]))
                {
                    error = $"{arg} needs a value.";
                    return false;
                }
                if (arg == "--job-name") jobName = args[++i];
                else runId = args[++i];
            }
            else if (arg.StartsWith('-'))
            {
                // Settings as the server takes them: --data-dir DIR, --Sparkwatch:Key=value, --Sparkwatch:Key value.
                configuration.Add(arg);
                if (!arg.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith('-')) configuration.Add(args[++i]);
            }
            else
            {
                paths.Add(arg);
            }
        }
        if (paths.Count == 0)
        {
            error = "Name at least one event log file or folder to import.";
            return false;
        }
        arguments = new ImportArguments(paths, jobName, runId, [.. configuration]);
        error = null;
        return true;
    }

    /// <summary>The settings exactly as the server would read them (appsettings.json, environment, flags).</summary>
    public static SparkwatchOptions LoadOptions(string[] configurationArgs)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(configurationArgs, SparkwatchServiceExtensions.CommandLineSwitches)
            .Build();
        return configuration.GetSection(SparkwatchOptions.Section).Get<SparkwatchOptions>() ?? new SparkwatchOptions();
    }
}
