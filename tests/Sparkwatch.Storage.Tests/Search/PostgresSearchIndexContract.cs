using Sparkwatch.Storage.Postgres;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>The search contract on PostgreSQL (tsvector + GIN) over a fresh schema of the test run's private server.</summary>
public sealed class PostgresSearchIndexContract : SearchIndexContract
{
    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var server = await PrivatePostgres.InstanceAsync();
        return new PostgresEventStore(new PostgresStoreOptions { ConnectionString = await server.NewSchemaAsync() });
    }
}
