using System.Globalization;
using System.Net;
using System.Text;
using SinkIdempotency.Assessment;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Writes <c>report.html</c>: one self-contained page with the scorecard and, per run, its numbers, anomalies and timeline plot (PNG as base64).</summary>
internal static class ScorecardHtml
{
    private const int ExamplesPerAnomaly = 5;

    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
        table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.35rem .6rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}.green{background:#d9f2d9}.yellow{background:#fff3c4}.red{background:#f9d0d0}.skipped{background:#eee}.error{background:#f3d9ff}.not-applicable{background:#f7f7f7;color:#666}
        section{border-top:1px solid #ddd;margin-top:1.5rem;padding-top:.5rem}pre{white-space:pre-wrap;margin:.3rem 0}img{max-width:100%;border:1px solid #eee}code{background:#f4f4f4;padding:0 .2rem}
        """;

    /// <summary>Builds the page; <paramref name="plots"/> maps an entry to its PNG, when one was drawn; an <paramref name="assessment"/> comes first, above the failure matrix it was graded from.</summary>
    public static string ToHtml(Scorecard scorecard, IReadOnlyDictionary<ScorecardEntry, byte[]> plots, AssessmentScorecard? assessment = null)
    {
        var html = new StringBuilder();
        var title = assessment is null ? "Sink idempotency scorecard" : $"Assessment: {assessment.Name}";
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<style>{Style}</style></head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>");
        if (assessment is not null)
        {
            Assessment(html, assessment);
            html.AppendLine("<h2>Failure matrix</h2>");
        }

        html.AppendLine(CultureInfo.InvariantCulture, $"<p>Environment <code>{E(scorecard.Environment)}</code>, started {E(scorecard.StartedAt.ToString("u", CultureInfo.InvariantCulture))}, {scorecard.Scenarios.Count} run(s) in {scorecard.DurationMs / 1000.0:0.0} s: {scorecard.Count(ScorecardVerdict.Red)} red, {scorecard.Count(ScorecardVerdict.Yellow)} yellow, {scorecard.Count(ScorecardVerdict.Green)} green, {scorecard.Count(ScorecardVerdict.Skipped)} skipped, {scorecard.Count(ScorecardVerdict.Error)} error{E(scorecard.NotApplicableCount())}.{E(scorecard.SkipNote())}</p>");
        html.AppendLine("<table><thead><tr><th>failure case</th>");
        foreach (var column in scorecard.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(column)}</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        foreach (var row in scorecard.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(row)}</th>");
            foreach (var column in scorecard.Columns)
            {
                var runs = scorecard.Cell(row, column);
                if (runs.Count == 0)
                {
                    html.Append("<td>–</td>");
                    continue;
                }

                var worst = Scorecard.Worst(runs);
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"{Scorecard.Name(worst.Verdict)}\"><a href=\"#{Anchor(worst)}\">{E(Scorecard.CellText(runs))}</a> <small>({E(worst.Target)})</small></td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
        html.AppendLine("<p><b>green</b>: no anomaly. <b>yellow</b>: only anomalies the declared semantics allow (duplicates under at-least-once, a task stopped by a poison record). <b>red</b>: an anomaly the claim forbids, no convergence, a fault that was not injected, or a failed task no poison record of the scenario explains. <b>skipped</b>: the environment lacks a capability the fault needs.</p>");

        foreach (var entry in scorecard.Scenarios)
        {
            Section(html, entry, plots.TryGetValue(entry, out var png) ? png : null);
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    public static string Anchor(ScorecardEntry entry) =>
        "s-" + new string([.. entry.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]) + "-" + entry.Repetition.ToString(CultureInfo.InvariantCulture);

    private static void Section(StringBuilder html, ScorecardEntry entry, byte[]? png)
    {
        var verdict = Scorecard.Name(entry.Verdict);
        html.AppendLine(CultureInfo.InvariantCulture, $"<section id=\"{Anchor(entry)}\"><h2>{E(entry.Name)}{(entry.Repetition > 1 ? $" (run {entry.Repetition})" : string.Empty)}</h2>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"{verdict}\"><b>{E(entry.Headline)}</b></p>");
        html.AppendLine("<table><tbody>");
        Row(html, "fault", entry.Fault);
        Row(html, "connector", entry.Connector);
        Row(html, "target", entry.Target);
        Row(html, "declared", entry.Declared);
        Row(html, "outcome", entry.Outcome);
        Row(html, "duration", string.Create(CultureInfo.InvariantCulture, $"{entry.DurationMs / 1000.0:0.0} s"));
        Row(html, "produced / in target / target rows", string.Create(CultureInfo.InvariantCulture, $"{entry.Produced} / {entry.InTarget} / {entry.TargetRows}"));
        if (entry.RunId is not null)
        {
            Row(html, "run id", entry.RunId);
        }

        if (entry.FaultDetail is not null)
        {
            Row(html, "fault detail", entry.FaultDetail);
        }

        foreach (var reason in entry.ExtraReasons)
        {
            Row(html, "reason", reason);
        }

        foreach (var failure in entry.TaskFailures)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>task {failure.Task} failed</th><td>{E(failure.CausedByPoison ? "stopped by a poison record" : "not explained by the scenario")}: {E(failure.Attribution ?? "not attributed")}<pre>{E(string.Join("\n", failure.Headlines))}</pre></td></tr>");
        }

        if (entry.Result is { } result)
        {
            var events = result.Evidence.Snapshot();
            var start = events.Count > 0 ? events[0].At : default;
            foreach (var action in events.OfType<FaultActionEvidence>())
            {
                Row(html, string.Create(CultureInfo.InvariantCulture, $"fault action at {(action.At - start).TotalSeconds:0.00} s"), $"{action.Action}: {action.Detail}");
            }
        }

        if (entry.Evidence is not null)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>evidence</th><td><a href=\"{E(entry.Evidence)}\">{E(entry.Evidence)}</a></td></tr>");
        }

        html.AppendLine("</tbody></table>");
        if (entry.Result?.Report is { } report && report.Anomalies.Any(a => a.Count > 0))
        {
            html.AppendLine("<table><thead><tr><th>anomaly</th><th>count</th><th>allowed</th><th>examples</th></tr></thead><tbody>");
            foreach (var anomaly in report.Anomalies.Where(a => a.Count > 0))
            {
                var examples = string.Join("<br>", anomaly.Examples.Take(ExamplesPerAnomaly).Select(x => E(ScenarioResult.FormatExample(x))));
                html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(anomaly.Kind.ToName())}</td><td>{anomaly.Count}</td><td>{(anomaly.Allowed ? "yes" : "no")}</td><td>{examples}</td></tr>");
            }

            html.AppendLine("</tbody></table>");
        }

        if (png is not null)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<img alt=\"timeline of {E(entry.Name)}: committed offset, target rows and fault actions over time\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">");
        }

        html.AppendLine("</section>");
    }

    // The evaluation checklist: one row per graded area, the status as the cell's class, each row's figures folded below it.
    private static void Assessment(StringBuilder html, AssessmentScorecard assessment)
    {
        var overall = AssessmentScorecard.StatusKey(assessment.Overall);
        html.AppendLine(CultureInfo.InvariantCulture, $"<p>Environment <code>{E(assessment.Environment)}</code>, generated {E(assessment.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))}, overall <b class=\"{Css(assessment.Overall)}\">{overall}</b>.</p>");
        html.AppendLine("<table><thead><tr><th>area</th><th>status</th><th>evidence</th><th>remediation</th></tr></thead><tbody>");
        foreach (var row in assessment.Rows)
        {
            var remediation = string.IsNullOrWhiteSpace(row.Remediation) ? (row.Status == AssessmentStatus.Red ? "<b>missing</b>" : "–") : E(row.Remediation);
            var figures = row.Figures.Count == 0 ? string.Empty : "<details><summary>figures</summary>" + string.Join("<br>", row.Figures.Select(f => E($"{f.Name}: {(double.IsFinite(f.Value) ? f.Value.ToString("#,0.###", CultureInfo.InvariantCulture) : "unbounded")} {f.Unit}"))) + "</details>";
            var offsets = row.Offsets.Count == 0 ? string.Empty
                : "<details><summary>committed offsets</summary><table><tr><th>stage</th><th>group</th><th>partition</th><th>committed</th><th>log end</th></tr>"
                    + string.Concat(row.Offsets.Select(o => string.Create(CultureInfo.InvariantCulture, $"<tr><td>{E(o.Stage)}</td><td>{E(o.Group)}</td><td>{o.Partition}</td><td>{(o.Committed is { } c ? c.ToString(CultureInfo.InvariantCulture) : "none")}</td><td>{o.LogEnd}</td></tr>")))
                    + "</table></details>";
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>{E(row.Title)}</th><td class=\"{Css(row.Status)}\">{AssessmentScorecard.StatusKey(row.Status)}</td><td>{E(row.Summary)}{figures}{offsets}</td><td>{remediation}</td></tr>");
        }

        html.AppendLine("</tbody></table>");
        foreach (var error in assessment.RemediationErrors())
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"red\">{E(error)}</p>");
        }
    }

    private static string Css(AssessmentStatus status) => status == AssessmentStatus.NotAssessed ? "skipped" : AssessmentScorecard.StatusKey(status);

    private static void Row(StringBuilder html, string name, string value) =>
        html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
