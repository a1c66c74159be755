using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Model;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;
using static Sparkwatch.Storage.Tests.Message;
using static Sparkwatch.Storage.Tests.Payloads;

namespace Sparkwatch.Storage.Tests;

/// <summary>
/// The SQLite model sink folds events outside the write lock and writes the rows back only when no other projection
/// of the run committed since its snapshot: projections racing on one run (the sink, reads catching it up) lose nothing.
/// </summary>
public sealed class SqliteModelProjectionRaces : IDisposable
{
    private const int Tasks = 40;
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    [Fact]
    public async Task Projections_of_different_lengths_racing_on_one_run_fold_every_event_exactly_once()
    {
        var path = Path.Combine(_folder.Path, "sparkwatch.db");
        await using var store = new SqliteEventStore(new SqliteStoreOptions { Path = path, RunModel = true });
        await store.InitializeAsync();
        var run = new RunKey("race", "run-1");
        for (var task = 1; task <= Tasks; task++) await store.AppendAsync([Batch(run, task, 100 + task, Event(1000 + task, TaskStart(task)))]);
        var runPk = Assert.Single(await store.RunsBehindAsync(10, CancellationToken.None));
        var events = (await store.ReadAcceptedAsync(runPk, 0, 10_000)).Events;

        // A projection of the first 10 positions, slow to fold (its events handed over many times, as a redelivery
        // would), takes its snapshot first; one of every position commits while it folds. Writing the slow one's rows
        // after that would put the model back to 10 tasks under a cursor at 40.
        var first10 = events.Where(e => e.Position <= 10).ToList();
        var slow = Task.Run(() => store.ProjectAsync(runPk, [.. Enumerable.Repeat(first10, 40_000).SelectMany(e => e)], 10, CancellationToken.None));
        await Task.Delay(50);
        await store.ProjectAsync(runPk, events, Tasks, CancellationToken.None);
        await slow;

        Assert.Equal(Tasks, ExecutorTotalTasks(path, runPk));
        Assert.Equal(((long)Tasks, (long)Tasks), await store.ModelPositionAsync(runPk, CancellationToken.None));
    }

    private static string TaskStart(int task) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Event"] = "SparkListenerTaskStart", ["Stage ID"] = 0, ["Stage Attempt ID"] = 0,
        ["Task Info"] = new Dictionary<string, object>
        {
            ["Task ID"] = task, ["Index"] = task, ["Attempt"] = 0, ["Launch Time"] = 1000 + task, ["Executor ID"] = "1", ["Host"] = "h",
            ["Locality"] = "PROCESS_LOCAL", ["Speculative"] = false, ["Getting Result Time"] = 0, ["Finish Time"] = 0, ["Failed"] = false,
            ["Killed"] = false, ["Accumulables"] = Array.Empty<object>(),
        },
    });

    private static int ExecutorTotalTasks(string path, long runPk)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM model_rows WHERE run_pk = $r AND kind = $k AND id = '1'";
        command.Parameters.AddWithValue("$r", runPk);
        command.Parameters.AddWithValue("$k", (int)ModelKind.Executor);
        using var document = JsonDocument.Parse((byte[])command.ExecuteScalar()!);
        return document.RootElement.GetProperty("TotalTasks").GetInt32();
    }

    public void Dispose() => _folder.Dispose();
}
