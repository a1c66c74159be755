using Sparkwatch.Hosting;
using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.Tests.Cli;

/// <summary>The <c>Sparkwatch:Sqlite</c> settings reach the store: each one, including settings added later.</summary>
public sealed class SqliteSettingsTests
{
    [Fact]
    public void Every_sqlite_setting_is_handed_to_the_store()
    {
        var configured = new SqliteStoreOptions
        {
            Path = "/elsewhere/db.sqlite", Synchronous = SqliteSynchronous.Extra, CacheSizeMiB = 77, CheckpointPages = 123, EventCompressionLevel = 9,
            SinkWriteSliceMilliseconds = 17,
        };
        var options = new SparkwatchOptions { Sqlite = configured, RunModel = true };

        var store = SparkwatchServiceExtensions.SqliteOptions(options);

        foreach (var property in typeof(SqliteStoreOptions).GetProperties())
        {
            // RunModel comes from Sparkwatch:RunModel, not from the Sqlite section.
            var expected = property.Name == nameof(SqliteStoreOptions.RunModel) ? true : property.GetValue(configured);
            Assert.True(Equals(expected, property.GetValue(store)), $"Sparkwatch:Sqlite:{property.Name} did not reach the store");
            if (property.Name != nameof(SqliteStoreOptions.RunModel)) Assert.NotEqual(property.GetValue(new SqliteStoreOptions()), expected);
        }
    }
}
