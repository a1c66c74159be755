using System.Net;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>A query parameter that does not bind gets 400 with a problem body that names it, on every endpoint.</summary>
public sealed class QueryBindingTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync();
        await new ListenerClient(_server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, Message.Event(1)));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/job?limit=abc")]
    [InlineData("/job?limit=1.5")]
    [InlineData("/job?limit=99999999999999")]
    [InlineData("/job/job?limit=abc")]
    [InlineData("/job/job/run/quarantine?limit=abc")]
    [InlineData("/job/job/run/quarantine?limit=")]
    public async Task A_limit_that_is_not_a_number_gets_400_naming_it(string path)
    {
        using var response = await _server.Client.GetAsync(path);

        var problem = await Answers.AssertProblemAsync(response, HttpStatusCode.BadRequest, "limit");
        Assert.Equal("urn:sparkwatch:problem:invalid-query", problem.GetProperty("type").GetString());
    }
}
