namespace Sparkwatch.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store (section <c>Sparkwatch:Postgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// Npgsql connection string, e.g. <c>Host=db;Database=sparkwatch;Username=sparkwatch;Password=…</c>. Pooling is on
    /// by default; <c>Maximum Pool Size</c> and <c>Search Path</c> (the schema holding the tables) are honoured.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// zstd level new events are stored at (the same stored form as the SQLite store); 0 stores them uncompressed.
    /// Events are served byte-identical either way, and a database holds both forms side by side.
    /// </summary>
    public int EventCompressionLevel { get; set; } = 3;

    /// <summary>Keep the run model: its sink is registered at start-up and reads of the model catch it up first (<c>Sparkwatch:RunModel</c>).</summary>
    public bool RunModel { get; set; }
}
