using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Tests;

public sealed class StoredFormsTests
{
    private static IngestMessage Event(int ordinal, byte[] json) => new(ordinal, 1000, new EventFacts("SparkListenerJobStart", null), json, 0);

    [Fact]
    public void A_form_that_is_the_JSON_itself_is_not_copied()
    {
        var e = Event(0, "{\"Event\":\"SparkListenerJobStart\"}"u8.ToArray());
        using var forms = new StoredForms(format: 3, messageCount: 1);
        forms.Add(e, e.Json.Span);
        Assert.True(forms.TryGet(e, out var form));
        Assert.True(form.Overlaps(e.Json.Span));
    }

    [Fact]
    public void Forms_past_the_first_buffer_keep_the_earlier_ones_intact()
    {
        var events = Enumerable.Range(0, 40).Select(i => Event(i, new byte[2000])).ToList();
        using var forms = new StoredForms(format: 3, messageCount: 41);
        foreach (var e in events) forms.Add(e, Enumerable.Repeat((byte)e.Ordinal, 1000).ToArray());
        foreach (var e in events)
        {
            Assert.True(forms.TryGet(e, out var form));
            Assert.Equal(Enumerable.Repeat((byte)e.Ordinal, 1000), form.ToArray());
        }
    }

    [Fact]
    public void An_event_without_a_form_has_none()
    {
        using var forms = new StoredForms(format: 3, messageCount: 2);
        forms.Add(Event(0, new byte[10]), new byte[5]);
        Assert.False(forms.TryGet(Event(1, new byte[10]), out _));
        Assert.False(forms.TryGet(Event(7, new byte[10]), out _));
    }
}
