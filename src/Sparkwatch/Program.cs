using Sparkwatch.Hosting;

// `sparkwatch [serve] [--listen URL] [--data-dir DIR] [--Sparkwatch:Setting=value …]`
var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
await using var server = SparkwatchServer.Create(serveArgs);
await server.RunAsync();
