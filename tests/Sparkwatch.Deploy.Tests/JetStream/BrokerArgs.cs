using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>The settings that put a process on a JetStream broker, with a stream of the test's own.</summary>
public static class BrokerArgs
{
    /// <summary>Broker settings for <paramref name="url"/>, stream and subject named after <paramref name="name"/>; short timeouts for tests.</summary>
    public static string[] For(string url, string name) =>
    [
        "--Sparkwatch:Broker:Kind=nats", $"--Sparkwatch:Broker:Url={url}",
        $"--Sparkwatch:Broker:Stream={name}", $"--Sparkwatch:Broker:Subject={name}",
        "--Sparkwatch:Broker:PublishTimeout=00:00:02", "--Sparkwatch:Broker:RetryAfterSeconds=1", "--Sparkwatch:Broker:AckWait=00:00:04",
    ];

    /// <summary>A stream name no other test uses.</summary>
    public static string NewName() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>An in-process collector publishing to <paramref name="natsUrl"/>, on a stream of its own.</summary>
    public static Task<ServerUnderTest> StartCollectorAsync(string natsUrl) =>
        ServerUnderTest.StartAsync(null, ["--role", "collector", .. For(natsUrl, NewName())]);
}
