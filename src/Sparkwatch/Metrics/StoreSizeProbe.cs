using System.Diagnostics;
using Npgsql;
using Sparkwatch.Hosting;

namespace Sparkwatch.Metrics;

/// <summary>
/// The store's size on disk, read at most every <see cref="MaxAge"/> so that scrapes stay cheap: the SQLite database
/// file and its WAL, or PostgreSQL's <c>pg_database_size</c> of the connection's database. A failed read keeps the
/// last value (none before the first success).
/// </summary>
public sealed class StoreSizeProbe(SparkwatchOptions options, ILogger<StoreSizeProbe> logger)
{
    /// <summary>How long a read size is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private long? _bytes;
    private long _readAt = long.MinValue;

    /// <summary>The size in bytes, or null when it could never be read.</summary>
    public long? Bytes()
    {
        lock (_gate)
        {
            if (_readAt != long.MinValue && Stopwatch.GetElapsedTime(_readAt) < MaxAge) return _bytes;
            _readAt = Stopwatch.GetTimestamp();
            try
            {
                _bytes = options.Store == StoreKind.Postgres ? PostgresBytes() : SqliteBytes();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning("Reading the store's size for /metrics failed: {Error}", e.Message);
            }
            return _bytes;
        }
    }

    private long SqliteBytes()
    {
        var path = SparkwatchServiceExtensions.SqliteOptions(options).Path;
        return FileBytes(path) + FileBytes(path + "-wal");
    }

    private static long FileBytes(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private long PostgresBytes()
    {
        // Its own connection of one: a scrape never waits for, nor holds, one of the store's.
        var builder = new NpgsqlConnectionStringBuilder(options.Postgres.ConnectionString) { MaxPoolSize = 1, CommandTimeout = 5, Timeout = 5 };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
