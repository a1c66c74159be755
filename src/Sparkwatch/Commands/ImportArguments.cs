namespace Sparkwatch.Commands;

/// <summary>The import command's arguments: paths, run naming overrides, and the server's own settings flags.</summary>
/// <param name="Paths">Event log files or folders, as named on the command line.</param>
/// <param name="JobName"><c>--job-name</c>, overriding the name each log gives.</param>
/// <param name="RunId"><c>--run-id</c>, overriding the id each log gives.</param>
/// <param name="ConfigurationArgs">The settings flags, as the server's configuration reads them.</param>
internal sealed record ImportArguments(IReadOnlyList<string> Paths, string? JobName, string? RunId, string[] ConfigurationArgs);
