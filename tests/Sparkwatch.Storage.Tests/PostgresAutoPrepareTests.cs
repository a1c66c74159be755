using Npgsql;
using Sparkwatch.Storage.Postgres;

namespace Sparkwatch.Storage.Tests;

/// <summary>
/// The PostgreSQL store prepares its statements unless the connection string says otherwise. (Every PostgreSQL suite
/// of this project runs with the default, so the store's statements are exercised prepared.)
/// </summary>
public sealed class PostgresAutoPrepareTests
{
    [Fact]
    public void A_connection_string_without_the_setting_gets_the_default()
    {
        var prepared = new NpgsqlConnectionStringBuilder(PostgresEventStore.WithAutoPrepare("Host=db;Database=sparkwatch;Username=sw"));
        Assert.Equal(PostgresEventStore.DefaultMaxAutoPrepare, prepared.MaxAutoPrepare);
        Assert.Equal("db", prepared.Host);
        Assert.Equal("sparkwatch", prepared.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;maxautoprepare=7", 7)]
    [InlineData("Host=db;MAX AUTO PREPARE=12", 12)]
    public void A_connection_string_that_sets_it_is_left_as_it_is(string connectionString, int expected)
    {
        Assert.Equal(connectionString, PostgresEventStore.WithAutoPrepare(connectionString));
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresEventStore.WithAutoPrepare(connectionString)).MaxAutoPrepare);
    }
}
