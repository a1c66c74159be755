using System.CommandLine;
using Sparkwatch.Senders;

namespace Sparkwatch.Commands;

/// <summary>The options <c>replay</c> and <c>follow</c> share: where to send, with which key, payload size and retries.</summary>
public sealed class SenderCommandOptions
{
    /// <summary><c>--url</c>.</summary>
    public Option<string> Url { get; } = new("--url") { Description = "The collector's URL as given to the listener, e.g. http://host:5000/collect (a bare http://host:5000 gets /collect)", Required = true };

    /// <summary><c>--api-key</c>.</summary>
    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "Sent as X-API-key (one of the collector's Sparkwatch:ApiKeys)" };

    /// <summary><c>--batch</c>.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "Messages per payload", DefaultValueFactory = _ => 1000 };

    /// <summary><c>--retry-delay</c>.</summary>
    public Option<int> RetryDelay { get; } = new("--retry-delay") { Description = "First wait after a failed payload, in ms; doubled after each further failure", DefaultValueFactory = _ => 500 };

    /// <summary><c>--retry-max-delay</c>.</summary>
    public Option<int> RetryMaxDelay { get; } = new("--retry-max-delay") { Description = "Longest wait between two attempts, in ms", DefaultValueFactory = _ => 60_000 };

    /// <summary><c>--max-attempts</c>.</summary>
    public Option<int> MaxAttempts { get; } = new("--max-attempts") { Description = "Attempts per payload before giving up on a log (0: for ever)", DefaultValueFactory = _ => 10 };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Url, ApiKey, Batch, RetryDelay, RetryMaxDelay, MaxAttempts }) command.Options.Add(option);
    }

    /// <summary>What is wrong with the sender options, or <c>null</c> when they are usable.</summary>
    public string? Problem(ParseResult result)
    {
        if (result.GetValue(Batch) < 1) return "--batch must be at least 1.";
        if (!Uri.TryCreate(result.GetValue(Url), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"--url '{result.GetValue(Url)}' is not an http(s) URL.";
        }
        return null;
    }

    /// <summary>The sender settings the command line asked for.</summary>
    public SenderOptions Read(ParseResult result) => new()
    {
        Url = SenderOptions.CollectUrl(result.GetValue(Url)!),
        ApiKey = result.GetValue(ApiKey),
        BatchSize = result.GetValue(Batch),
        RetryInitialDelay = TimeSpan.FromMilliseconds(result.GetValue(RetryDelay)),
        RetryMaxDelay = TimeSpan.FromMilliseconds(result.GetValue(RetryMaxDelay)),
        MaxAttempts = result.GetValue(MaxAttempts),
    };

    /// <summary>An HTTP client for the collector: generous timeout, as a payload of 10,000 events is tens of MB.</summary>
    public static HttpClient CreateHttpClient() => new() { Timeout = TimeSpan.FromMinutes(2) };
}
