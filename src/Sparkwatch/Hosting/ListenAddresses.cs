namespace Sparkwatch.Hosting;

/// <summary>
/// Where the server listens, by ASP.NET Core's conventions. Strongest first: <c>--urls</c> (or its alias <c>--listen</c>)
/// on the command line, <c>ASPNETCORE_URLS</c>/<c>DOTNET_URLS</c> (the <c>urls</c> key, which ASP.NET Core applies itself),
/// then <c>Sparkwatch:Listen</c>, then <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c>, then the default of
/// <see cref="SparkwatchOptions.Listen"/>. <c>Kestrel:Endpoints</c>, when configured, overrides all of them (ASP.NET Core's rule).
/// </summary>
public static class ListenAddresses
{
    /// <summary>
    /// The addresses the host must be told, or <c>null</c> when ASP.NET Core's own keys (<c>urls</c>, <c>http_ports</c>)
    /// already decide. <paramref name="listenGiven"/>: <see cref="SparkwatchOptions.Listen"/> was set rather than defaulted.
    /// </summary>
    public static string[]? Resolve(IConfiguration configuration, SparkwatchOptions options, bool listenGiven)
    {
        if (IsSet(configuration, "urls")) return null;
        if (!listenGiven && (IsSet(configuration, "http_ports") || IsSet(configuration, "https_ports"))) return null;
        return options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>True when the configuration sets <see cref="SparkwatchOptions.Listen"/> itself.</summary>
    public static bool IsListenGiven(IConfiguration configuration) => IsSet(configuration, $"{SparkwatchOptions.Section}:{nameof(SparkwatchOptions.Listen)}");

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
