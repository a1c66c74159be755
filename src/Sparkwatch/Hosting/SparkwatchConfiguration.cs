using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.Hosting;

/// <summary>
/// Where settings come from, defined once for the server and the commands that open its store: <c>appsettings.json</c>
/// beside the executable, then the environment, then the command line (each overriding the one before).
/// </summary>
public static class SparkwatchConfiguration
{
    /// <summary>A role that runs one sink: <c>sink:archive</c>.</summary>
    public const string SinkRolePrefix = "sink:";

    /// <summary>Adds the settings sources, in order of strength, to <paramref name="builder"/>.</summary>
    public static IConfigurationBuilder AddSparkwatchSources(this IConfigurationBuilder builder, string[] args) => builder
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args, SparkwatchServiceExtensions.CommandLineSwitches);

    /// <summary>The settings read from <paramref name="args"/> and the usual sources, bound and validated.</summary>
    public static SparkwatchOptions ReadOptions(string[] args) => ReadOptions(new ConfigurationBuilder().AddSparkwatchSources(args).Build());

    /// <summary>
    /// Binds the <c>Sparkwatch</c> section once and validates it (<see cref="SparkwatchOptionsValidator"/>). A value the
    /// binder cannot convert (a word where a number or one of a list is expected) is reported the same way.
    /// </summary>
    /// <exception cref="OptionsValidationException">Some setting is invalid; the message names each.</exception>
    public static SparkwatchOptions ReadOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(SparkwatchOptions.Section);
        SparkwatchOptions options;
        try
        {
            options = section.Get<SparkwatchOptions>() ?? new SparkwatchOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(SparkwatchOptions.Section, typeof(SparkwatchOptions), [Explain(e.Message)]);
        }
        // The binder drops array items it cannot convert instead of failing: an unknown role would silently mean all.
        var roles = section.GetSection(nameof(SparkwatchOptions.Roles)).GetChildren().Select(c => c.Value ?? "").ToArray();
        var sinkRoles = roles.Where(r => r.StartsWith(SinkRolePrefix, StringComparison.OrdinalIgnoreCase)).Select(r => r[SinkRolePrefix.Length..]).ToArray();
        var unknownRoles = roles.Except(sinkRoles.Select(name => SinkRolePrefix + name))
            .Where(r => !Enum.TryParse<ServiceRole>(r, ignoreCase: true, out var role) || !Enum.IsDefined(role)).ToArray();
        if (unknownRoles.Length > 0)
        {
            throw new OptionsValidationException(SparkwatchOptions.Section, typeof(SparkwatchOptions),
                [$"{SparkwatchOptions.Section}:Roles must list some of collector, query, sinks, sink:NAME, not '{string.Join("', '", unknownRoles)}'."]);
        }
        // sink:NAME is the sinks role limited to the sinks named.
        if (sinkRoles.Length > 0)
        {
            options.Roles = [.. options.Roles.Append(ServiceRole.Sinks).Distinct()];
            options.Sinks.Enabled = [.. options.Sinks.Enabled.Concat(sinkRoles).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        return SparkwatchOptionsValidator.Check(options);
    }

    /// <summary>The binder's message, plus the accepted words when the setting takes one of a list.</summary>
    private static string Explain(string message)
    {
        var type = Regex.Match(message, "to type '(?<type>[^']+)'").Groups["type"].Value;
        var choices = new[] { typeof(StoreKind), typeof(ServiceRole), typeof(SqliteSynchronous) }.FirstOrDefault(t => t.FullName == type);
        return choices is null ? message : $"{message} Accepted: {string.Join(", ", Enum.GetNames(choices))} (in any case).";
    }
}
