using Sparkwatch.Model;
using Sparkwatch.Storage.Search;
using Sparkwatch.Storage.Sqlite;
using Sparkwatch.Testing;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>
/// The search contract on SQLite with the shortest write slice (<see cref="SqliteStoreOptions.SinkWriteSliceMilliseconds"/>
/// = 1): a batch is indexed in many transactions, and nothing is lost or indexed twice at the slices' edges.
/// </summary>
public sealed class SqliteSearchIndexInSlicesContract : SearchIndexContract, IDisposable
{
    private readonly TempFolder _folder = TestPaths.NewTempFolder();

    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(
        new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(_folder.Path, "sparkwatch.db"), SinkWriteSliceMilliseconds = 1 }));

    [Fact]
    public async Task Every_document_of_a_batch_written_over_many_slices_is_found_once()
    {
        // Far more than one millisecond of FTS5 inserts: tens of slices at least.
        const int Documents = 20_000;
        var runPk = (await ((IRunModelReader)Store).FindRunsAsync(ShellRun.RunId, ShellRun.JobName, CancellationToken.None)).Single().RunPk;
        var documents = Enumerable.Range(0, Documents)
            .Select(i => new SearchDocument(1_000_000 + i, 1_700_000_000_000 + i, "SparkListenerLogStart", "Spark Version", SearchFieldKind.Name, $"slicetoken{i % 3} sliceall"))
            .ToList();
        await Index.IndexAsync(runPk, documents);
        await Index.IndexAsync(runPk, documents);

        var seqs = new List<long>();
        SearchPosition? after = null;
        while (true)
        {
            var page = await Index.SearchAsync(new SearchQuery(SearchTerms.Parse("sliceall"), null, null, null, null, 5_000, after));
            seqs.AddRange(page.Select(h => h.Position.Seq));
            if (page.Count < 5_000) break;
            after = page[^1].Position;
        }
        Assert.Equal(Enumerable.Range(0, Documents).Select(i => 1_000_000L + i), seqs.Order());
        Assert.Equal((Documents + 2) / 3, (await SearchAsync("slicetoken0", limit: Documents)).Count);
    }

    public void Dispose() => _folder.Dispose();
}
