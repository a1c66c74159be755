namespace Sparkwatch.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; created with its folder when missing.</summary>
    public string Path { get; set; } = "data/sparkwatch.db";

    /// <summary>
    /// SQLite <c>synchronous</c> level: <c>FULL</c> (default) syncs the write-ahead log on every commit, so an
    /// acknowledged payload survives a power loss; <c>NORMAL</c> survives a process crash only.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// Pages written to the write-ahead log that start a checkpoint on a background thread, off the writer's commits
    /// (the writer still checkpoints itself at 8× this, should that thread fall behind); 0 leaves checkpoints to
    /// SQLite's default: inside the commit that crosses 1,000 pages.
    /// </summary>
    public int CheckpointPages { get; set; } = 1000;

    /// <summary>
    /// Longest a sink's bulk write (the search index of a batch) holds the one writer connection before it commits and
    /// lets a waiting ingest commit go, in milliseconds; 0 writes each batch whole in one transaction.
    /// </summary>
    public int SinkWriteSliceMilliseconds { get; set; } = 5;

    /// <summary>Page cache of each connection, in MiB.</summary>
    public int CacheSizeMiB { get; set; } = 16;

    /// <summary>
    /// zstd level new events are stored at (with the built-in dictionary of Spark events); 0 stores them uncompressed.
    /// Events are served byte-identical either way, and a database holds both forms side by side.
    /// </summary>
    public int EventCompressionLevel { get; set; } = 3;

    /// <summary>Keep the run model: its sink is registered at start-up and reads of the model catch it up first (<c>Sparkwatch:RunModel</c>).</summary>
    public bool RunModel { get; set; }
}

/// <summary>SQLite's <c>synchronous</c> levels the store accepts (written <c>FULL</c>, <c>NORMAL</c> or <c>EXTRA</c> in settings).</summary>
public enum SqliteSynchronous
{
    /// <summary>Syncs at checkpoints only: a commit survives a process crash, not a power loss.</summary>
    Normal = 1,

    /// <summary>Syncs the write-ahead log at every commit: a commit survives a power loss.</summary>
    Full = 2,

    /// <summary>As <see cref="Full"/>, and also syncs the directory after a journal is deleted.</summary>
    Extra = 3,
}
