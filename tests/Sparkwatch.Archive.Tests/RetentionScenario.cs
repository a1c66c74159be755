using System.Data.Common;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sparkwatch.Retention;
using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>
/// A server with retention on (age 1 s; passes run by the test) holding the shared logs posted through <c>/collect</c>:
/// one log posted payload by payload in order, one posted newest payload first (so the archive's acceptance order is not
/// the <c>/events</c> order), one without its application end (a running run). What <c>/events</c> served before
/// retention is recorded per run, unfiltered and filtered.
/// </summary>
public sealed class RetentionScenario : IAsyncDisposable
{
    /// <summary>The job every run of the scenario is in.</summary>
    public const string Job = "retention";

    /// <summary>Types of a filtered read: rare ones and a frequent one.</summary>
    public static readonly string[] Filter = ["SparkListenerJobStart", "SparkListenerApplicationEnd", "SparkListenerTaskEnd"];

    private RetentionScenario(ServerUnderTest server) => Server = server;

    /// <summary>The server.</summary>
    public ServerUnderTest Server { get; }

    /// <summary>The API client.</summary>
    public SparkwatchApi Api => new(Server.Client);

    /// <summary>Completed runs (posted in order and posted backwards).</summary>
    public List<string> Completed { get; } = [];

    /// <summary>The run without its application end.</summary>
    public string Running { get; } = "running";

    /// <summary>What <c>/events</c> served before retention: per run, the unfiltered and the filtered lines.</summary>
    public Dictionary<string, (List<string> All, List<string> Filtered)> Before { get; } = [];

    /// <summary>Starts the server with <paramref name="extraArgs"/>, posts the runs and waits for every sink.</summary>
    public static async Task<RetentionScenario> StartAsync(params string[] extraArgs)
    {
        var server = await ServerUnderTest.StartAsync(null, ["--Sparkwatch:Retention:HotEventsAge=00:00:01", "--Sparkwatch:Retention:CheckInterval=01:00:00",
            "--Sparkwatch:Archive:RollInterval=00:00:01", .. extraArgs]);
        var scenario = new RetentionScenario(server);
        var client = new ListenerClient(server.Client);
        var logs = SparkEventLog.SharedLogPaths().Select(SparkEventLog.Read)
            .Where(l => l.Lines.Any(line => line.Contains("\"SparkListenerApplicationEnd\"")) && l.Lines.Count > 20).ToList();
        foreach (var (log, i) in logs.Select((l, i) => (l, i)))
        {
            var runId = $"{i}-{Path.GetFileName(log.Path)}";
            var envelopes = ListenerClient.Envelopes(Job, runId, log.Lines, batchSize: 7).ToList();
            // Every other run arrives newest payload first: acceptance order runs against event order.
            if (i % 2 == 1) envelopes.Reverse();
            foreach (var envelope in envelopes) await client.PostOkAsync(envelope);
            scenario.Completed.Add(runId);
        }
        var running = logs[0].Lines.Where(l => !l.Contains("\"SparkListenerApplicationEnd\""));
        foreach (var envelope in ListenerClient.Envelopes(Job, scenario.Running, running, batchSize: 7)) await client.PostOkAsync(envelope);
        foreach (var sink in new[] { "archive", "model", "search" }) await scenario.Api.WaitForSinkAsync(sink, TimeSpan.FromMinutes(2));
        foreach (var run in scenario.Completed.Append(scenario.Running))
        {
            scenario.Before[run] = (await scenario.Api.EventsAsync(Job, run), await scenario.Api.EventsAsync(Job, run, Filter));
        }
        // Past the age of 1 s.
        await Task.Delay(1100);
        return scenario;
    }

    /// <summary>The server's retainer.</summary>
    public HotEventRetainer Retainer => Server.Server.App.Services.GetRequiredService<HotEventRetainer>();

    /// <summary>Runs retention passes (age 1 s) until <paramref name="runs"/> are dropped: the archive closes a run's last part within about a second.</summary>
    public async Task RetainAsync(IReadOnlyCollection<string> runs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await Retainer.RetainDueAsync(TimeSpan.FromSeconds(1), default);
            var stored = await Task.WhenAll(runs.Select(StoredAsync));
            if (stored.All(s => s.Bytes == 0)) return;
            Assert.True(DateTime.UtcNow < deadline, $"runs still hot after 60 s: {string.Join(", ", runs.Where((_, i) => stored[i].Bytes > 0))}");
            await Task.Delay(250);
        }
    }

    /// <summary>The run's event rows in the store, the bytes of their JSON, and how many point into the archive.</summary>
    public async Task<(long Rows, long Bytes, long Archived)> StoredAsync(string runId)
    {
        const string Sql = """
            SELECT count(*), coalesce(sum(length(e.data)), 0), count(e.archive_line)
            FROM events e JOIN runs r ON r.run_pk = e.run_pk JOIN jobs j ON j.job_pk = r.job_pk WHERE j.job_name = @job AND r.run_id = @run
            """;
        await using var connection = await OpenStoreAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        foreach (var (name, value) in new[] { ("@job", Job), ("@run", runId) })
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = (name, value);
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>A connection to the server's store: its SQLite file (read only) or its PostgreSQL schema.</summary>
    private async Task<DbConnection> OpenStoreAsync()
    {
        DbConnection connection;
        if (TestStore.IsPostgres)
        {
            var setting = (await TestStore.ServerArgsAsync(Server.DataDirectory)).Single(a => a.StartsWith("--Sparkwatch:Postgres:ConnectionString=", StringComparison.Ordinal));
            connection = new NpgsqlConnection(setting[(setting.IndexOf('=') + 1)..]);
        }
        else
        {
            connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "sparkwatch.db")};Mode=ReadOnly;Pooling=False");
        }
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Asserts <c>/events</c> of <paramref name="runId"/>, unfiltered and filtered, serves what it served before retention.</summary>
    public async Task AssertServedAsBeforeAsync(string runId)
    {
        var (all, filtered) = Before[runId];
        Assert.Equal(all, await Api.EventsAsync(Job, runId));
        Assert.Equal(filtered, await Api.EventsAsync(Job, runId, Filter));
        Assert.NotEmpty(filtered);
    }

    /// <summary>The event log in the zip <c>/api/v1/applications/{app}/logs</c> serves for the run whose application id is <paramref name="appId"/>.</summary>
    public async Task<(HttpStatusCode Status, string Text)> SparkLogsAsync(string appId)
    {
        using var response = await Server.Client.GetAsync($"/api/v1/applications/{Uri.EscapeDataString(appId)}/logs");
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, System.Text.Encoding.UTF8.GetString(body));
        using var zip = new ZipArchive(new MemoryStream(body));
        using var entry = new StreamReader(Assert.Single(zip.Entries).Open());
        return (response.StatusCode, await entry.ReadToEndAsync());
    }

    /// <summary>A completed run no other run shares its application id with (so <c>/api/v1/applications/{app}</c> names it).</summary>
    public string RunWithOwnAppId() => Completed.First(run => Before.Keys.Count(other => AppIdOf(other) == AppIdOf(run)) == 1);

    /// <summary>The application id of a run, from its served application start.</summary>
    public string AppIdOf(string runId)
    {
        var start = Before[runId].All.First(l => l.Contains("\"SparkListenerApplicationStart\""));
        return JsonDocument.Parse(start).RootElement.GetProperty("App ID").GetString()!;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
