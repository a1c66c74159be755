using Sparkwatch.Commands;
using Sparkwatch.Hosting;

// sparkwatch [serve] [--listen URL] [--data-dir DIR] [--Sparkwatch:Setting=value …]   the service (default)
// sparkwatch import <logs or folders> [--data-dir DIR] [--job-name N] [--run-id R]       backfill into the store
// sparkwatch replay <logs or folders> --url URL [options]                                stream logs as the listener does
// sparkwatch follow <spark.eventLog.dir> --url URL [options]                             sidecar: stream logs as written
// sparkwatch rebuild [--job-name N --run-id R] [--data-dir DIR]                           recompute the run model
return args switch
{
    ["import", .. var rest] => await ImportCommand.RunAsync(rest),
    ["replay", .. var rest] => await ReplayCommand.RunAsync(rest),
    ["follow", .. var rest] => await FollowCommand.RunAsync(rest),
    ["rebuild", .. var rest] => await RebuildCommand.RunAsync(rest),
    ["serve", .. var rest] => await ServeAsync(rest),
    _ => await ServeAsync(args),
};

static async Task<int> ServeAsync(string[] args)
{
    await using var server = SparkwatchServer.Create(args);
    await server.RunAsync();
    return 0;
}
