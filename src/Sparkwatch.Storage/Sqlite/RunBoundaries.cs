using System.Text.Json;
using Sparkwatch.Core.Runs;

namespace Sparkwatch.Storage.Sqlite;

/// <summary>Reads the JSON arrays that the run query builds from <c>run_starts</c> and <c>run_ends</c>.</summary>
internal static class RunBoundaries
{
    /// <summary><c>[["attempt", start], …]</c>; an empty attempt id is a run without attempt ids.</summary>
    public static List<AttemptStart> Starts(ReadOnlySpan<byte> json)
    {
        var starts = new List<AttemptStart>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var attemptId = reader.GetString();
            reader.Read();
            starts.Add(new AttemptStart(attemptId is { Length: > 0 } ? attemptId : null, reader.GetInt64()));
            reader.Read();
        }
        return starts;
    }

    /// <summary><c>[end, …]</c>.</summary>
    public static List<long> EndTimes(ReadOnlySpan<byte> json)
    {
        var ends = new List<long>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.Number) ends.Add(reader.GetInt64());
        return ends;
    }
}
