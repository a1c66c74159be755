using System.Text.Json;
using Sparkwatch.Model.Rows;

namespace Sparkwatch.Model;

/// <summary>Which stage attempts a run of events completes, read as the projector reads a <c>SparkListenerStageCompleted</c>.</summary>
public static class CompletedStages
{
    private const string StageCompleted = "SparkListenerStageCompleted";

    /// <summary>Whether an event of this type completes a stage attempt (with or without Spark's package prefix).</summary>
    public static bool IsStageCompleted(string eventType) => RunProjector.ShortName(eventType) == StageCompleted;

    /// <summary>The stage attempt a <c>SparkListenerStageCompleted</c> (its stored JSON) completes; <c>null</c> when it is not valid JSON.</summary>
    public static (int StageId, int AttemptId)? Of(ReadOnlyMemory<byte> eventJson)
    {
        try
        {
            using var document = JsonDocument.Parse(eventJson, RunProjector.DocumentOptions);
            return StageInfoReader.Id(document.RootElement.Prop("Stage Info"));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
