using System.Text;
using System.Text.Json.Nodes;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Testing;

namespace Sparkwatch.Deploy.Tests.ScaleOut;

/// <summary>The shared real data as listener payloads per run, and what the service must give back for each run.</summary>
public static class ReplayedRuns
{
    /// <summary>The capture's two runs as captured, and the Spark test logs wrapped like the listener would.</summary>
    public static Dictionary<RunKey, List<string>> Payloads(int batchSize = 200)
    {
        var runs = new Dictionary<RunKey, List<string>>();
        foreach (var line in File.ReadLines(TestPaths.ListenerCapture).Where(l => l.Length > 0))
        {
            var envelope = JsonNode.Parse(line)!;
            var key = new RunKey((string)envelope["job_name"]!, (string)envelope["run_id"]!);
            if (!runs.TryGetValue(key, out var list)) runs[key] = list = [];
            list.Add(line);
        }
        foreach (var log in Directory.GetFiles(TestPaths.SparkEvents))
        {
            var runId = Path.GetFileName(log);
            runs[new RunKey("spark-events", runId)] = [.. ListenerClient.Envelopes("spark-events", runId, File.ReadLines(log).Where(l => l.Length > 0), batchSize)];
        }
        return runs;
    }

    /// <summary>The run's events as the service must serve them: each seq once, normalised (redacted) as stored,
    /// sorted by (generated_at, seq).</summary>
    public static List<string> ExpectedEvents(IEnumerable<string> payloads)
    {
        var bySeq = new SortedDictionary<long, (long GeneratedAt, string Json)>();
        foreach (var payload in payloads)
        {
            var envelope = JsonNode.Parse(payload)!;
            var messages = envelope["messages"]!.AsArray();
            var run = new RunKey((string)envelope["job_name"]!, (string)envelope["run_id"]!);
            var firstSeq = (long)envelope["counters"]!["message_counter"]! - messages.Count + 1;
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i]!;
                if ((string)m["message_type"]! != "spark-event") continue;
                var generatedAt = (long)m["generated_at"]!;
                if (EventNormalizer.Default.TryNormalize(run, i, generatedAt, Encoding.UTF8.GetBytes((string)m["content"]!), out var message, out _))
                {
                    bySeq[firstSeq + i] = (generatedAt, Encoding.UTF8.GetString(message.Json.Span));
                }
            }
        }
        return [.. bySeq.OrderBy(e => e.Value.GeneratedAt).ThenBy(e => e.Key).Select(e => e.Value.Json)];
    }

    /// <summary>The run's events as the query process serves them.</summary>
    public static async Task<List<string>> ReadAsync(HttpClient query, RunKey run)
    {
        var body = await query.GetStringAsync($"/job/{Uri.EscapeDataString(run.JobName)}/{Uri.EscapeDataString(run.RunId)}/events");
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
