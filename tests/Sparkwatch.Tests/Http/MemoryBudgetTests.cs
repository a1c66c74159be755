using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>Payloads in flight share a memory budget: past it, new ones are refused with 503 instead of exhausting memory.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task A_payload_that_finds_the_budget_full_gets_503_with_retry_after_and_the_first_one_completes()
    {
        await using var server = await ServerUnderTest.StartAsync(null,
            "--Sparkwatch:Limits:MaxInFlightBytes=300000", "--Sparkwatch:Limits:InFlightWait=00:00:00.200");
        // Half of this body alone holds more than the budget (a payload alone in flight always passes), so any other
        // payload finds it full.
        var big = Encoding.UTF8.GetBytes(ListenerEnvelope.Build("job", "slow", 1, Message.Event(1, extra: $",\"pad\":\"{new string('x', 1_000_000)}\"")));
        var pipe = new Pipe();
        var content = new StreamContent(pipe.Reader.AsStream());
        content.Headers.ContentType = new("application/json");
        var slow = server.Client.PostAsync("/collect", content);
        // Half the body is in: the server holds the buffer it arrived in while the client pauses.
        await pipe.Writer.WriteAsync(big.AsMemory(0, big.Length / 2));
        var other = ListenerEnvelope.Build("job", "other", 1, Message.Event(1));
        var budget = server.Server.App.Services.GetRequiredService<IngestMemoryBudget>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (budget.InUse <= 300_000 && DateTime.UtcNow < deadline) await Task.Delay(20);

        var refused = await new ListenerClient(server.Client).PostAsync(other);

        using var _ = refused;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:sparkwatch:problem:server-busy", problem.GetProperty("type").GetString());
        Assert.Contains("MaxInFlightBytes", problem.GetProperty("detail").GetString());

        await pipe.Writer.WriteAsync(big.AsMemory(big.Length / 2));
        await pipe.Writer.CompleteAsync();
        using var completed = await slow;
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        // The budget was given back: the refused payload goes through now.
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "other", 1, Message.Event(1)));
    }
}
