using Sparkwatch.Commands;

// sparkwatch [serve] [--urls URL] [--data-dir DIR] [--Sparkwatch:Setting=value …]   the service (default)
// sparkwatch import <logs or folders> [--data-dir DIR] [--job-name N] [--run-id R]    backfill into the store
// sparkwatch replay <logs or folders> --url URL [options]                             stream logs as the listener does
// sparkwatch follow <spark.eventLog.dir> --url URL [options]                          sidecar: stream logs as written
// sparkwatch rebuild [--job-name N --run-id R] [--data-dir DIR]                    recompute the run model
// Each with --help.
return await SparkwatchCommandLine.InvokeAsync(args);
