using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>One real nats-server (JetStream, file store in a temp folder) per test class.</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    /// <summary>The server; each test names its own stream, so tests of a class do not see each other's batches.</summary>
    public NatsServer Server { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync() => Server = await NatsServer.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
