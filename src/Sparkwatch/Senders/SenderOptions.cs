namespace Sparkwatch.Senders;

/// <summary>How a client command talks to the collector: where, with which key, how much per payload, how it retries.</summary>
public sealed class SenderOptions
{
    /// <summary>The collector's ingest URL, as given to the listener (e.g. <c>http://host:5000/collect</c>).</summary>
    public required Uri Url { get; init; }

    /// <summary>Sent as <c>X-API-key</c> (the listener's <c>spark.datamechanics.apiKey.secret</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most messages per payload (the listener flushes every 1,000 events).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>First wait after a failure; doubled after each further failure.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between two attempts (the listener's polling interval caps at 60 s).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per payload before giving up on a log; 0 retries for ever, like the listener.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The URL to post to: a bare collector address (no path) gets the listener's <c>/collect</c>.</summary>
    public static Uri CollectUrl(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        return uri.AbsolutePath is "" or "/" ? new Uri(uri, "/collect") : uri;
    }
}
