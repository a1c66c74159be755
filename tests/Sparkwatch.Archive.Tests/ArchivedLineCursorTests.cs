using System.Runtime.CompilerServices;
using System.Text;
using Sparkwatch.Archive.Retention;

namespace Sparkwatch.Archive.Tests;

/// <summary>The reordering of archived lines into <c>/events</c> order, with room to keep lines aside and without.</summary>
public sealed class ArchivedLineCursorTests
{
    private static readonly string[] Lines = [.. Enumerable.Range(1, 200).Select(i => $"{{\"Event\":\"{(i % 3 == 0 ? "Rare" : "Common")}\",\"n\":{i}}}")];

    [Theory]
    [InlineData(1_000_000, 1)]
    [InlineData(100, 2)]
    public async Task LinesAskedInAnyOrderComeBackExactlyAndTheLogIsReadAgainOnlyWhenLinesWereLetGo(long maxKeptBytes, int minPasses)
    {
        // Blocks of 20 lines in reverse block order: how a run's payloads read when they arrived newest first.
        var order = Enumerable.Range(0, 10).Reverse().SelectMany(block => Enumerable.Range(block * 20 + 1, 20)).ToArray();
        await using var cursor = new ArchivedLineCursor(Read, _ => true, maxKeptBytes, "test log");

        var served = new List<string>();
        foreach (var number in order) served.Add(Encoding.UTF8.GetString((await cursor.LineAsync(number, default)).Span));

        Assert.Equal(order.Select(n => Lines[n - 1]), served);
        Assert.InRange(cursor.Passes, minPasses, maxKeptBytes > 1000 ? 1 : order.Length);
    }

    [Fact]
    public async Task AFilteredReadKeepsOnlyLinesOfTheWantedTypesAside()
    {
        var rare = Enumerable.Range(1, 200).Where(i => i % 3 == 0).Reverse().ToArray();
        // Room for exactly the rare lines: keeping a common one too would force a second pass.
        var room = rare.Sum(n => Lines[n - 1].Length);
        await using var cursor = new ArchivedLineCursor(Read, line => ArchivedRunLog.EventType(line.Span) == "Rare", room, "test log");

        foreach (var number in rare) Assert.Equal(Lines[number - 1], Encoding.UTF8.GetString((await cursor.LineAsync(number, default)).Span));

        Assert.Equal(1, cursor.Passes);
    }

    [Fact]
    public async Task ALineBeyondTheLogIsAnUnreadableArchive()
    {
        await using var cursor = new ArchivedLineCursor(Read, _ => true, 1000, "test log");

        var error = await Assert.ThrowsAsync<ArchiveUnreadableException>(() => cursor.LineAsync(201, default).AsTask());

        Assert.Contains("ends after 200 lines", error.Message);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Read([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var line in Lines)
        {
            await Task.Yield();
            yield return Encoding.UTF8.GetBytes(line);
        }
    }
}
