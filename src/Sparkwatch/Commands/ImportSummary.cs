using Spectre.Console;
using Spectre.Console.Rendering;
using Sparkwatch.Ingestion;

namespace Sparkwatch.Commands;

/// <summary>
/// What <c>import</c> prints per log: a table when the terminal is wide enough for it unwrapped, else a list of a few
/// short lines per log (an 80-column terminal squeezed the table into columns a few letters wide).
/// </summary>
internal static class ImportSummary
{
    /// <summary>Writes the summary of <paramref name="results"/> in the form that fits <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<(ImportPlan Plan, ImportCounts Counts, string? Error)> results)
    {
        var table = Table(results);
        var fits = ((IRenderable)table).Measure(RenderOptions.Create(console), int.MaxValue).Max <= console.Profile.Width;
        if (fits)
        {
            console.Write(table);
            return;
        }
        foreach (var (plan, counts, error) in results)
        {
            console.MarkupLine($"{Markup.Escape(plan.Log.Name)}: {Result(plan, error)}");
            var attempt = plan.AttemptId is null ? "" : $", attempt {plan.AttemptId}";
            console.MarkupLine(Markup.Escape($"  job {plan.Run.JobName}, run {plan.Run.RunId}{attempt}"));
            console.MarkupLine(Markup.Escape($"  {counts.Lines:N0} lines: {counts.Stored:N0} new, {counts.Duplicates:N0} already stored, {counts.Quarantined:N0} quarantined"));
        }
    }

    private static Table Table(IEnumerable<(ImportPlan Plan, ImportCounts Counts, string? Error)> results)
    {
        var table = new Table().AddColumns("log", "job", "run", "attempt", "lines", "new", "already stored", "quarantined", "result");
        foreach (var column in table.Columns.Skip(4).Take(4)) column.RightAligned();
        foreach (var (plan, counts, error) in results)
        {
            table.AddRow(Markup.Escape(plan.Log.Name), Markup.Escape(plan.Run.JobName), Markup.Escape(plan.Run.RunId), Markup.Escape(plan.AttemptId ?? "-"),
                $"{counts.Lines:N0}", $"{counts.Stored:N0}", $"{counts.Duplicates:N0}", $"{counts.Quarantined:N0}", Result(plan, error));
        }
        return table;
    }

    private static string Result(ImportPlan plan, string? error) => error is not null ? "[red]failed[/]"
        : plan.Log.InProgress ? "[yellow]ok (in progress)[/]" : "[green]ok[/]";
}
