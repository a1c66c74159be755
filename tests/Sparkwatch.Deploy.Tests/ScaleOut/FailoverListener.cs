using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.ScaleOut;

/// <summary>
/// A listener-style client in front of several collectors (as a Kubernetes Service spreads them): a payload that fails
/// on one collector (error or connection refused) is sent again to the next, until one acknowledges it.
/// </summary>
public sealed class FailoverListener(IReadOnlyList<HttpClient> collectors)
{
    /// <summary>Sends the payload starting at collector <paramref name="first"/>; returns the collector that acknowledged it.</summary>
    public async Task<int> SendAsync(string envelopeJson, int first)
    {
        var errors = new List<string>();
        for (var attempt = 0; attempt < collectors.Count * 3; attempt++)
        {
            var index = (first + attempt) % collectors.Count;
            try
            {
                using var response = await new ListenerClient(collectors[index]).PostAsync(envelopeJson);
                if (response.IsSuccessStatusCode) return index;
                errors.Add($"collector {index}: {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors.Add($"collector {index}: {e.Message}");
            }
            await Task.Delay(50 * attempt);
        }
        throw new InvalidOperationException("No collector acknowledged the payload: " + string.Join("; ", errors));
    }
}
