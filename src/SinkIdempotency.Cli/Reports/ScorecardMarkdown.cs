using System.Globalization;
using System.Text;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Writes the scorecard as GitHub-flavoured Markdown: the table, then one short section per run that is not green.</summary>
internal static class ScorecardMarkdown
{
    /// <summary>The most bytes <see cref="ToMarkdown"/> writes by default: GitHub rejects a step summary over 1 MiB.</summary>
    public const int DefaultMaxBytes = 900 * 1024;

    private const int ExamplesPerAnomaly = 3;

    public static string ToMarkdown(Scorecard scorecard, int maxBytes = DefaultMaxBytes)
    {
        var text = new StringBuilder();
        text.AppendLine("## Sink idempotency scorecard");
        text.AppendLine();
        var counts = $"{scorecard.Count(ScorecardVerdict.Red)} red, {scorecard.Count(ScorecardVerdict.Yellow)} yellow, {scorecard.Count(ScorecardVerdict.Green)} green"
            + Optional(scorecard.Count(ScorecardVerdict.Skipped), "skipped") + Optional(scorecard.Count(ScorecardVerdict.Error), "error") + Optional(scorecard.Count(ScorecardVerdict.NotApplicable), "n/a");
        text.AppendLine(CultureInfo.InvariantCulture, $"Environment `{scorecard.Environment}`, {scorecard.Scenarios.Count} run(s) in {scorecard.DurationMs / 1000.0:0.0} s: {counts}.{scorecard.SkipNote()}");
        text.AppendLine();
        var columns = scorecard.Columns;
        text.Append("| failure case |");
        foreach (var column in columns)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Escape(column)} |");
        }

        text.AppendLine();
        text.Append("|---|");
        text.AppendLine(string.Concat(Enumerable.Repeat("---|", columns.Count)));
        foreach (var row in scorecard.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(row)} |");
            foreach (var column in columns)
            {
                var runs = scorecard.Cell(row, column);
                var icon = runs.Count == 0 ? string.Empty : Icon(Scorecard.Worst(runs).Verdict) + " ";
                text.Append(CultureInfo.InvariantCulture, $" {icon}{Escape(Scorecard.CellText(runs))} |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("🟢 green: no anomaly · 🟡 yellow: only anomalies the declared semantics allow · 🔴 red: a forbidden anomaly, no convergence, a fault that was not injected, or a failed task no poison record of the scenario explains.");

        var details = scorecard.Scenarios.Where(s => s.Verdict != ScorecardVerdict.Green).ToList();
        if (details.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### Details");
        }

        foreach (var entry in details)
        {
            var section = Section(entry);
            if (Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(section) > maxBytes - 200)
            {
                text.AppendLine();
                text.AppendLine("_Further details truncated to stay under the step-summary size limit; see scorecard.json and report.html._");
                break;
            }

            text.Append(section);
        }

        return text.ToString();
    }

    private static string Section(ScorecardEntry entry)
    {
        var text = new StringBuilder();
        text.AppendLine();
        var repetition = entry.Repetition > 1 ? $" (run {entry.Repetition})" : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture, $"#### {Icon(entry.Verdict)} `{Escape(entry.Name)}`{repetition} — {Escape(entry.Headline)}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- fault `{entry.Fault}`, connector `{Escape(entry.Connector)}`, declared `{entry.Declared}`, outcome `{entry.Outcome}`, {entry.DurationMs / 1000.0:0.0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"- produced {entry.Produced}, in target {entry.InTarget}, target rows {entry.TargetRows}");
        if (entry.FaultDetail is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- fault: {Escape(entry.FaultDetail)}");
        }

        foreach (var reason in entry.ExtraReasons)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(reason)}");
        }

        foreach (var failure in entry.TaskFailures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- **task {failure.Task} failed** ({(failure.CausedByPoison ? "stopped by a poison record" : "not explained by the scenario")}: {Escape(failure.Attribution ?? "not attributed")}):");
            text.AppendLine("  ```text");
            foreach (var line in failure.Headlines)
            {
                text.AppendLine("  " + line);
            }

            text.AppendLine("  ```");
        }

        if (entry.Result?.Report is { } report)
        {
            foreach (var anomaly in report.Anomalies.Where(a => a.Count > 0))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- **{anomaly.Kind.ToName()}**: {anomaly.Count} ({(anomaly.Allowed ? "allowed" : "forbidden")})");
                foreach (var example in anomaly.Examples.Take(ExamplesPerAnomaly))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  - {Escape(ScenarioResult.FormatExample(example))}");
                }
            }
        }

        if (entry.Evidence is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- evidence: `{entry.Evidence}`");
        }

        return text.ToString();
    }

    private static string Optional(int count, string name) => count > 0 ? $", {count} {name}" : string.Empty;

    private static string Icon(ScorecardVerdict verdict) => verdict switch
    {
        ScorecardVerdict.Green => "🟢",
        ScorecardVerdict.Yellow => "🟡",
        ScorecardVerdict.Red => "🔴",
        ScorecardVerdict.Skipped => "⚪",
        ScorecardVerdict.NotApplicable => "➖",
        _ => "⚠️",
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
}
