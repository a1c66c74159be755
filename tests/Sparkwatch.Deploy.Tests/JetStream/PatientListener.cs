using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.JetStream;

/// <summary>
/// A listener-style client in front of several collectors that, like the real listener, keeps a payload until some
/// collector answers 200: on a 503 or a refused connection it waits a little and tries the next. Anything else fails.
/// </summary>
public sealed class PatientListener(IReadOnlyList<HttpClient> collectors)
{
    private int _unavailable;

    /// <summary>How many 503 answers (with a Retry-After) it got so far.</summary>
    public int Unavailable => _unavailable;

    /// <summary>Sends the payload starting at collector <paramref name="first"/> until one acknowledges it.</summary>
    public async Task SendAsync(string envelopeJson, int first)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = "";
        for (var attempt = 0; ; attempt++)
        {
            var index = (first + attempt) % collectors.Count;
            try
            {
                using var response = await new ListenerClient(collectors[index]).PostAsync(envelopeJson);
                if (response.IsSuccessStatusCode) return;
                if ((int)response.StatusCode != 503 || response.Headers.RetryAfter is null)
                {
                    throw new InvalidOperationException($"collector {index} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                Interlocked.Increment(ref _unavailable);
                last = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException e) when (DateTime.UtcNow < deadline)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No collector acknowledged the payload within 60 s; the last answer: {last}");
            await Task.Delay(100);
        }
    }
}
