using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sparkwatch.Core.Runs;
using Sparkwatch.Storage.Appending;

namespace Sparkwatch.Storage;

/// <summary>
/// The one mapping from a run query's row to <see cref="RunFacts"/>, for every engine. The row's columns, in order:
/// job_name, run_id, first_seen_at, last_seen_at, sort_time, event_count, quarantined_count, app_id, app_name,
/// upload_complete, the attempts' starts as JSON <c>[["attempt", start], …]</c>, the end times as JSON <c>[end, …]</c>.
/// </summary>
public static class RunFactsReader
{
    /// <summary>The facts of the row <paramref name="reader"/> is on.</summary>
    public static RunFacts Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
        reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
        Convert.ToBoolean(reader.GetValue(9)), Starts(Encoding.UTF8.GetBytes(reader.GetString(10))), EndTimes(Encoding.UTF8.GetBytes(reader.GetString(11))));

    /// <summary><c>[["attempt", start], …]</c>; <see cref="StoreSentinels.NoAttemptId"/> is a start without an attempt id.</summary>
    private static List<AttemptStart> Starts(ReadOnlySpan<byte> json)
    {
        var starts = new List<AttemptStart>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var attemptId = reader.GetString();
            reader.Read();
            starts.Add(new AttemptStart(attemptId == StoreSentinels.NoAttemptId ? null : attemptId, reader.GetInt64()));
            reader.Read();
        }
        return starts;
    }

    /// <summary><c>[end, …]</c>.</summary>
    private static List<long> EndTimes(ReadOnlySpan<byte> json)
    {
        var ends = new List<long>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.Number) ends.Add(reader.GetInt64());
        return ends;
    }
}
