using Sparkwatch.Commands;
using Sparkwatch.Hosting;

// `sparkwatch import <files or folders>... [--job-name NAME] [--run-id ID] [--data-dir DIR]`
if (args.Length > 0 && args[0] == "import") return await ImportCommand.RunAsync(args[1..]);

// `sparkwatch [serve] [--listen URL] [--data-dir DIR] [--Sparkwatch:Setting=value …]`
if (args is ["replay", ..]) return await ReplayCommand.RunAsync(args[1..]);
if (args is ["follow", ..]) return await FollowCommand.RunAsync(args[1..]);
var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
await using var server = SparkwatchServer.Create(serveArgs);
await server.RunAsync();
return 0;
