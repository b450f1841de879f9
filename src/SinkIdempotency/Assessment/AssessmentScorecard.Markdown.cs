using System.Globalization;
using System.Text;

namespace SinkIdempotency.Assessment;

/// <content>Writes <c>assessment.md</c>: the article's scorecard table with the measured evidence and each row's figures.</content>
public sealed partial record AssessmentScorecard
{
    /// <summary>Writes the scorecard as Markdown: a table of rows (area, status, evidence, remediation), then each row's figures.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Assessment: {Name}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Environment: `{Environment}` · generated {GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC · overall **{StatusKey(Overall)}**\n\n");
        text.Append("| Area | Status | Evidence | Remediation |\n|---|---|---|---|\n");
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(row.Title)} | {StatusKey(row.Status)} | {Cell(row.Summary)} | {Cell(string.IsNullOrWhiteSpace(row.Remediation) ? (row.Status == AssessmentStatus.Red ? "**missing**" : "—") : row.Remediation)} |\n");
        }

        foreach (var row in Rows.Where(r => r.Figures.Count > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {row.Title}\n\n| Figure | Value | Unit |\n|---|---:|---|\n");
            foreach (var figure in row.Figures)
            {
                var value = double.IsFinite(figure.Value) ? figure.Value.ToString("#,0.###", CultureInfo.InvariantCulture) : "unbounded";
                text.Append(CultureInfo.InvariantCulture, $"| {figure.Name} | {value} | {figure.Unit} |\n");
            }
        }

        foreach (var row in Rows.Where(r => r.Offsets.Count > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {row.Title}: committed offsets\n\n| Stage | Group | Partition | Committed | Log end |\n|---|---|---:|---:|---:|\n");
            foreach (var offset in row.Offsets)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {offset.Stage} | {Cell(offset.Group)} | {offset.Partition} | {(offset.Committed is { } committed ? committed.ToString(CultureInfo.InvariantCulture) : "none")} | {offset.LogEnd} |\n");
            }
        }

        if (MissingRemediation.Count > 0)
        {
            text.Append("\n## Red rows without a remediation plan\n\n");
            foreach (var error in RemediationErrors())
            {
                text.Append("- ").Append(Cell(error)).Append('\n');
            }
        }

        return text.ToString();
    }

    // A table cell holds one line, and a '|' would end it.
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
