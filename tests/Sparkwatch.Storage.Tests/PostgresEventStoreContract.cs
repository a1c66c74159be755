using Sparkwatch.Storage.Postgres;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests;

/// <summary>The contract, on the PostgreSQL store over a fresh schema of the test run's private server.</summary>
public sealed class PostgresEventStoreContract : EventStoreContract
{
    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var server = await PrivatePostgres.InstanceAsync();
        return new PostgresEventStore(new PostgresStoreOptions { ConnectionString = await server.NewSchemaAsync() });
    }
}
