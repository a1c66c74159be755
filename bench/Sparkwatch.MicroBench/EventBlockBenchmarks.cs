using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Sparkwatch.Storage.Compression;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Sparkwatch.MicroBench;

/// <summary>
/// A probe for the storage redesign issue 12 names: 1,000 real events stored the way the store keeps them today (a row per
/// event in a table with two more indexes, one zstd frame each) against per-payload blocks (one row and one frame per
/// 100 events, with the same dictionary, and a slim (run, seq, hash) index for exactly-once). The compression and the
/// durable insert are measured apart, as they run on different threads in the service. Not the store's code: a model
/// of the two layouts, over a scratch SQLite file (WAL, FULL) with the store's page size.
/// </summary>
[MemoryDiagnoser]
public class EventBlockBenchmarks
{
    private const int EventsPerCommit = 1_000;
    private const int EventsPerBlock = 100;

    private byte[][] _events = [];
    private byte[][] _forms = [];
    private StoredEventCodec _codec = null!;
    private Compressor _blockCompressor = null!;
    private SqliteConnection _connection = null!;
    private string _folder = "";
    private long _run;

    [Params("rows", "blocks")]
    public string Layout { get; set; } = "rows";

    /// <summary>zstd level of the blocks (rows stay at the store's default, 3).</summary>
    [Params(1, 3)]
    public int BlockLevel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var source = RealEvents.Source.Raw;
        _events = [.. Enumerable.Range(0, EventsPerCommit).Select(i => source[i % source.Count])];
        _codec = new StoredEventCodec(3);
        _blockCompressor = new Compressor(BlockLevel);
        using (var dictionary = typeof(StoredEventCodec).Assembly.GetManifestResourceStream("Sparkwatch.Storage.Compression.spark-events-v1.zdict")!)
        using (var bytes = new MemoryStream())
        {
            dictionary.CopyTo(bytes);
            _blockCompressor.LoadDictionary(bytes.ToArray());
        }
        _blockCompressor.SetParameter(ZSTD_cParameter.ZSTD_c_experimentalParam4, (int)ZSTD_dictAttachPref_e.ZSTD_dictForceAttach);
        _forms = Compress();
        long raw = _events.Sum(e => (long)e.Length), stored = _forms.Sum(f => (long)f.Length);
        Console.WriteLine($"// {Layout}, block level {BlockLevel}: {stored} stored bytes for {raw} raw ({stored / (double)raw:0.000}x)");

        _folder = Path.Combine(Path.GetTempPath(), "sparkwatch-microbench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "probe.db")};Pooling=False");
        _connection.Open();
        Execute("""
            PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
            CREATE TABLE events (run_pk INTEGER NOT NULL, generated_at INTEGER NOT NULL, seq INTEGER NOT NULL, type_id INTEGER NOT NULL,
                data BLOB NOT NULL, hash INTEGER, PRIMARY KEY (run_pk, generated_at, seq)) WITHOUT ROWID;
            CREATE UNIQUE INDEX events_once_per_seq ON events (run_pk, seq);
            CREATE INDEX events_by_type ON events (run_pk, type_id, generated_at, seq);
            CREATE TABLE event_blocks (run_pk INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                first_generated_at INTEGER NOT NULL, last_generated_at INTEGER NOT NULL, types BLOB NOT NULL, data BLOB NOT NULL,
                PRIMARY KEY (run_pk, first_seq)) WITHOUT ROWID;
            CREATE TABLE event_seqs (run_pk INTEGER NOT NULL, seq INTEGER NOT NULL, hash INTEGER NOT NULL, PRIMARY KEY (run_pk, seq)) WITHOUT ROWID;
            """);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _codec.Dispose();
        _blockCompressor.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The 1,000 events in the layout's stored form: 1,000 frames, or 10 blocks.</summary>
    [Benchmark]
    public byte[][] Compress() => Layout == "rows"
        ? [.. _events.Select(e => _codec.Encode(e).ToArray())]
        : [.. _events.Chunk(EventsPerBlock).Select(block => _blockCompressor.Wrap(Concatenated(block)).ToArray())];

    /// <summary>One durable commit of the 1,000 events' stored forms, as a run of its own.</summary>
    [Benchmark]
    public void Insert()
    {
        var run = ++_run;
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        if (Layout == "rows")
        {
            insert.CommandText = "INSERT INTO events VALUES ($r, $g, $s, $t, $d, $h)";
            for (var seq = 0; seq < _forms.Length; seq++) Run(insert, ("$r", run), ("$g", seq), ("$s", seq), ("$t", seq % 20), ("$d", _forms[seq]), ("$h", seq * 31L));
        }
        else
        {
            insert.CommandText = "INSERT INTO event_blocks VALUES ($r, $f, $l, $a, $b, $t, $d)";
            for (var b = 0; b < _forms.Length; b++)
            {
                var first = b * EventsPerBlock;
                Run(insert, ("$r", run), ("$f", first), ("$l", first + EventsPerBlock - 1), ("$a", first), ("$b", first + EventsPerBlock - 1), ("$t", new byte[8]), ("$d", _forms[b]));
            }
            using var seqs = _connection.CreateCommand();
            seqs.CommandText = "INSERT INTO event_seqs VALUES ($r, $s, $h)";
            for (var seq = 0; seq < EventsPerCommit; seq++) Run(seqs, ("$r", run), ("$s", seq), ("$h", seq * 31L));
        }
        transaction.Commit();
    }

    // The block's events, each after its length (what a reader needs to split them again).
    private static byte[] Concatenated(byte[][] events)
    {
        var block = new byte[events.Sum(e => 4 + e.Length)];
        var at = 0;
        foreach (var e in events)
        {
            BitConverter.TryWriteBytes(block.AsSpan(at), e.Length);
            e.CopyTo(block, at + 4);
            at += 4 + e.Length;
        }
        return block;
    }

    private static void Run(SqliteCommand command, params (string Name, object Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
