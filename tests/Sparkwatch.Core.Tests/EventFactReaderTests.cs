using System.Text;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Tests;

/// <summary>Reading an event's facts in one pass, and refusing what is not a Spark event.</summary>
public sealed class EventFactReaderTests
{
    [Fact]
    public void An_application_start_gives_its_timestamp_attempt_and_names()
    {
        var json = """{"Event":"SparkListenerApplicationStart","App Name":"Spark Pi","App ID":"app-1","Timestamp":1634665581622,"User":"u","App Attempt ID":"2"}"""u8;

        Assert.True(EventFactReader.TryRead(json, out var facts, out _));

        Assert.Equal(new EventFacts(SparkEventTypes.ApplicationStart, 1634665581622, "2", "app-1", "Spark Pi"), facts);
    }

    [Fact]
    public void Nested_fields_with_the_same_names_are_not_taken_for_the_events_own()
    {
        var json = """{"Event":"SparkListenerTaskEnd","Task Info":{"Timestamp":5,"Event":"x"},"Timestamp":7}"""u8;

        Assert.True(EventFactReader.TryRead(json, out var facts, out _));

        Assert.Equal("SparkListenerTaskEnd", facts.EventType);
        Assert.Equal(7, facts.Timestamp);
    }

    [Fact]
    public void A_deeply_nested_sql_plan_is_accepted()
    {
        var depth = 200;
        var json = "{\"Event\":\"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart\",\"plan\":" + string.Concat(Enumerable.Repeat("{\"c\":[", depth)) + "1" + string.Concat(Enumerable.Repeat("]}", depth)) + "}";

        Assert.True(EventFactReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var reason), reason);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"Event\":\"E\"", "not valid JSON")]
    [InlineData("{\"Event\":\"E\"} {}", "not valid JSON")]
    [InlineData("\"text\"", "not an object")]
    [InlineData("{\"Event\":42}", "\"Event\"")]
    [InlineData("{\"event\":\"lowercase\"}", "\"Event\"")]
    public void What_is_not_a_spark_event_is_refused_with_a_reason(string content, string reasonFragment)
    {
        Assert.False(EventFactReader.TryRead(Encoding.UTF8.GetBytes(content), out _, out var reason));
        Assert.Contains(reasonFragment, reason);
    }

    [Fact]
    public void An_escaped_event_name_is_read_unescaped()
    {
        Assert.True(EventFactReader.TryRead("{\"Event\":\"Spark\\u004cistenerJobEnd\"}"u8, out var facts, out _));
        Assert.Equal("SparkListenerJobEnd", facts.EventType);
    }
}
