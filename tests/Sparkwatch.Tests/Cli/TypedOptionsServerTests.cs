using System.Net;
using Sparkwatch.Hosting;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Cli;

/// <summary><c>SparkwatchServer.Create(SparkwatchOptions)</c>: a server made from settings in code serves what they say.</summary>
public sealed class TypedOptionsServerTests
{
    [Fact]
    public async Task Server_made_from_typed_options_serves_the_roles_they_name()
    {
        using var data = TestPaths.NewTempFolder();
        // The suite's store (SQLite, or PostgreSQL in its second pass), read as the executable reads flags.
        var options = SparkwatchConfiguration.ReadOptions(["--data-dir", data.Path, .. await TestStore.ServerArgsAsync(data.Path)]);
        options.Listen = "http://127.0.0.1:0";
        options.Roles = [ServiceRole.Query];

        await using var server = SparkwatchServer.Create(options, "--Logging:LogLevel:Default=Warning");
        await server.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.First()) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/job")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/collect", new StringContent("{}"))).StatusCode);
    }
}
