using Spectre.Console;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Prints the scorecard table: failure case × connector, each cell a verdict with its headline numbers.</summary>
internal static class ScorecardConsole
{
    private const int MaxFailuresShown = 3;

    public static void Write(IAnsiConsole console, Scorecard scorecard, bool interactive)
    {
        var table = new Table().Border(interactive ? TableBorder.Rounded : TableBorder.Ascii).Title("Scorecard");
        table.AddColumn("failure case");
        foreach (var column in scorecard.Columns)
        {
            table.AddColumn(Markup.Escape(column));
        }

        foreach (var row in scorecard.Rows)
        {
            var cells = new List<string> { Markup.Escape(row) };
            foreach (var column in scorecard.Columns)
            {
                var runs = scorecard.Cell(row, column);
                var text = Markup.Escape(Scorecard.CellText(runs));
                cells.Add(runs.Count == 0 ? text : $"[{Color(Scorecard.Worst(runs).Verdict)}]{text}[/]");
            }

            table.AddRow([.. cells]);
        }

        console.Write(table);
        console.WriteLine(scorecard.SummaryLine());

        // A failed task is the first thing to read in a red cell: what failed and why, without the stack frames.
        foreach (var entry in scorecard.Scenarios.Where(s => s.TaskFailures.Any(f => !f.CausedByPoison)))
        {
            var failures = entry.TaskFailures.Where(f => !f.CausedByPoison).ToList();
            if (failures.Count > MaxFailuresShown)
            {
                console.WriteLine($"{entry.Name}: {failures.Count} task failures, the first {MaxFailuresShown} below; all of them are in scorecard.md, report.html and scorecard.json.");
            }

            foreach (var failure in failures.Take(MaxFailuresShown))
            {
                console.WriteLine($"task failed in {entry.Name}{(entry.Repetition > 1 ? $" (run {entry.Repetition})" : string.Empty)}: task {failure.Task}, not explained by the scenario ({failure.Attribution})");
                foreach (var line in failure.Headlines)
                {
                    console.WriteLine("    " + line);
                }
            }
        }

        // A skip is never a pass: say why, once per scenario.
        foreach (var skipped in scorecard.Scenarios.Where(s => s.Verdict == ScorecardVerdict.Skipped).DistinctBy(s => s.Name))
        {
            console.WriteLine($"skipped {skipped.Name}: {string.Join(" ", skipped.Reasons)}");
        }

        // Nor is a cell the target refuses.
        foreach (var refused in scorecard.Scenarios.Where(s => s.Verdict == ScorecardVerdict.NotApplicable).DistinctBy(s => s.Name))
        {
            console.WriteLine($"n/a {refused.Name} ({refused.Target} target): {string.Join(" ", refused.Reasons)}");
        }
    }

    private static string Color(ScorecardVerdict verdict) => verdict switch
    {
        ScorecardVerdict.Green => "green",
        ScorecardVerdict.Yellow => "yellow",
        ScorecardVerdict.Red => "red",
        ScorecardVerdict.Error => "magenta",
        _ => "grey",
    };
}
