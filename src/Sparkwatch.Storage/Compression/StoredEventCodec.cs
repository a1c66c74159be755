using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Sparkwatch.Storage.Compression;

/// <summary>
/// The stored form of an event's JSON, shared by the stores. Either the JSON itself (its first byte is <c>{</c>; every
/// event stored before compression existed reads this way) or <see cref="ZstdDictionaryV1"/> followed by one zstd frame
/// compressed with the built-in dictionary trained on Spark events (<c>scripts/train-event-dictionary.sh</c>).
/// Decoding gives back the exact bytes that were encoded. One instance per thread at a time; it reuses its buffer.
/// </summary>
public sealed class StoredEventCodec : IDisposable
{
    /// <summary>First byte of an event compressed with zstd and dictionary 1. JSON text never starts with it.</summary>
    public const byte ZstdDictionaryV1 = 0x01;

    private static readonly byte[] DictionaryV1 = LoadDictionary("spark-events-v1.zdict");
    private readonly int _level;
    private Compressor? _compressor;
    private Decompressor? _decompressor;
    private byte[] _buffer = new byte[16 * 1024];

    /// <summary>A codec that compresses at zstd <paramref name="level"/>; 0 stores events as they are (decoding still reads both forms).</summary>
    public StoredEventCodec(int level = 3) => _level = level;

    /// <summary>The stored form of <paramref name="json"/>; valid until this codec's next call.</summary>
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> json)
    {
        if (_level == 0 || json.IsEmpty) return json;
        if (_compressor is null)
        {
            _compressor = new Compressor(_level);
            _compressor.LoadDictionary(DictionaryV1);
            // The first byte names the dictionary, so the frame need not repeat its id.
            _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_dictIDFlag, 0);
            // Reference the dictionary's tables instead of copying them into the context for every event above a few KB
            // (the copy cost as much as compressing a typical event); the frames are the same format.
            _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_experimentalParam4, (int)ZSTD_dictAttachPref_e.ZSTD_dictForceAttach);
        }
        Reserve(Compressor.GetCompressBound(json.Length) + 1);
        _buffer[0] = ZstdDictionaryV1;
        var length = 1 + _compressor.Wrap(json, _buffer.AsSpan(1));
        // Tiny events can grow; they are kept as they are.
        return length < json.Length ? _buffer.AsSpan(0, length) : json;
    }

    /// <summary>The event's JSON from its stored form; valid until this codec's next call.</summary>
    public ReadOnlySpan<byte> Decode(ReadOnlySpan<byte> stored)
    {
        if (!IsCompressed(stored)) return stored;
        var length = Inflate(stored); // may replace the buffer
        return _buffer.AsSpan(0, length);
    }

    /// <summary>Like <see cref="Decode"/>, but the JSON is always in this codec's buffer (copied when stored uncompressed).</summary>
    public ReadOnlyMemory<byte> DecodeToBuffer(ReadOnlySpan<byte> stored)
    {
        if (IsCompressed(stored))
        {
            var length = Inflate(stored); // may replace the buffer
            return _buffer.AsMemory(0, length);
        }
        Reserve(stored.Length);
        stored.CopyTo(_buffer);
        return _buffer.AsMemory(0, stored.Length);
    }

    private static bool IsCompressed(ReadOnlySpan<byte> stored) => !stored.IsEmpty && stored[0] == ZstdDictionaryV1;

    private int Inflate(ReadOnlySpan<byte> stored)
    {
        if (_decompressor is null)
        {
            _decompressor = new Decompressor();
            _decompressor.LoadDictionary(DictionaryV1);
        }
        var frame = stored[1..];
        Reserve(checked((int)Decompressor.GetDecompressedSize(frame)));
        return _decompressor.Unwrap(frame, _buffer);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _compressor?.Dispose();
        _decompressor?.Dispose();
    }

    private void Reserve(int length)
    {
        if (_buffer.Length < length) _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
    }

    private static byte[] LoadDictionary(string name)
    {
        using var stream = typeof(StoredEventCodec).Assembly.GetManifestResourceStream($"Sparkwatch.Storage.Compression.{name}")
            ?? throw new InvalidOperationException($"The zstd dictionary {name} is missing from the assembly.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
