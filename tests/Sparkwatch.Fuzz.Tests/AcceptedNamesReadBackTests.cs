using System.Net;
using CsCheck;
using Sparkwatch.Testing;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>Every job name and run id accepted at ingest is readable back by that name, or refused at ingest with a reason (issue 8 §2).</summary>
public sealed class AcceptedNamesReadBackTests
{
    [Fact]
    public async Task A_name_accepted_at_ingest_reads_back()
    {
        await using var server = await FuzzServer.StartAsync();
        var names = from field in Gen.OneOf("job_name", "run_id") from name in Values.StrangeName
                    select new Damage($"{field} := \"{(name.Length > 12 ? $"{name[..3]}…({name.Length} chars)" : name)}\"", Edit: e => e[field] = name);
        await Property.CheckAsync(ListenerCases.With(names), async sample =>
        {
            server.Errors.Clear();
            using var response = await server.Listener.PostBytesAsync(sample.Body, sample.Gzip);
            await server.CheckAnswerAsync(response, sample.ToString());
            if (response.StatusCode != HttpStatusCode.OK) return;
            using var read = await server.Server.Client.GetAsync(SparkwatchApi.Verbatim(server.Server.Client, SparkwatchApi.RunPath(sample.JobName!, sample.RunId!, "/events")));
            var body = await server.CheckAnswerAsync(read, "GET /events after " + sample);
            if (read.StatusCode != HttpStatusCode.OK) throw new FuzzAssertionException($"{sample} was accepted but GET /events answered {(int)read.StatusCode}: {body}");
        });
    }
}
