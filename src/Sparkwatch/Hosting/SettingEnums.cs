namespace Sparkwatch.Hosting;

/// <summary>Which store holds the events (<see cref="SparkwatchOptions.Store"/>; written <c>sqlite</c> or <c>postgres</c>).</summary>
public enum StoreKind
{
    /// <summary>The embedded SQLite file under the data directory.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by collector and query replicas.</summary>
    Postgres,
}

/// <summary>A part of the service a process serves (<see cref="SparkwatchOptions.Roles"/>; written <c>collector</c>, <c>query</c>, <c>sinks</c> or <c>sink:NAME</c>).</summary>
public enum ServiceRole
{
    /// <summary>Ingest: <c>/collect</c> and the Delight endpoints.</summary>
    Collector,

    /// <summary>The read API.</summary>
    Query,

    /// <summary>The sinks of the accepted stream (<c>Sparkwatch:Sinks:Enabled</c>; <c>sink:NAME</c> runs one).</summary>
    Sinks,
}
