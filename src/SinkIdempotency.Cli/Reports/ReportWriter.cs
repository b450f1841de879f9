using System.Globalization;
using System.Text;
using SinkIdempotency.Assessment;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Writes the files of <c>--out DIR</c>: <c>scorecard.json</c>, <c>scorecard.md</c>, <c>report.html</c>, <c>plots/*.png</c> and <c>evidence/*.json</c>, and for <c>assess</c> <c>assessment.md</c> and <c>assessment.json</c>.</summary>
internal static class ReportWriter
{
    public const string EvidenceFolder = "evidence";

    public const string PlotFolder = "plots";

    /// <summary>Writes one run's evidence JSON and returns its path relative to <paramref name="outputDirectory"/>.</summary>
    public static async Task<string> WriteEvidenceAsync(string outputDirectory, ScenarioResult result, int repetition, CancellationToken cancellationToken)
    {
        var relative = Path.Combine(EvidenceFolder, FileStem(result.Scenario, repetition) + ".json");
        var path = Path.Combine(outputDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (result.EvidencePath is { } written && File.Exists(written))
        {
            File.Copy(written, path, overwrite: true);
        }
        else
        {
            var document = new EvidenceDocument
            {
                Scenario = result.Scenario,
                RunId = result.RunId,
                Environment = result.Environment,
                Fault = result.Fault,
                Connector = "unknown",
                ConnectorConfig = new Dictionary<string, string>(),
                Events = result.Evidence.Snapshot(),
            };
            await EvidenceJson.WriteAsync(document, path, cancellationToken).ConfigureAwait(false);
        }

        return relative.Replace('\\', '/');
    }

    /// <summary>Gets the assessment's Markdown file name.</summary>
    public const string AssessmentMarkdownFile = "assessment.md";

    /// <summary>Gets the assessment's JSON file name (schema: docs/assessment.schema.json).</summary>
    public const string AssessmentJsonFile = "assessment.json";

    /// <summary>Writes the scorecard files and the plots, and with an <paramref name="assessment"/> its <c>assessment.md</c> and <c>assessment.json</c> (and its section atop <c>report.html</c>); returns the files written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string outputDirectory, Scorecard scorecard, CancellationToken cancellationToken, AssessmentScorecard? assessment = null)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        var plots = new Dictionary<ScorecardEntry, byte[]>();
        foreach (var entry in scorecard.Scenarios)
        {
            if (entry.Result is null)
            {
                continue;
            }

            var series = TimelineSeries.From(entry.Result.Evidence.Snapshot());
            if (series.IsEmpty)
            {
                continue;
            }

            var png = TimelinePlot.RenderPng(series, $"{entry.Name} — {entry.Headline}");
            plots[entry] = png;
            var path = Path.Combine(outputDirectory, PlotFolder, FileStem(entry.Name, entry.Repetition) + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, png, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        written.Add(await WriteTextAsync(outputDirectory, "scorecard.json", ScorecardJson.ToJson(scorecard), cancellationToken).ConfigureAwait(false));
        written.Add(await WriteTextAsync(outputDirectory, "scorecard.md", ScorecardMarkdown.ToMarkdown(scorecard), cancellationToken).ConfigureAwait(false));
        written.Add(await WriteTextAsync(outputDirectory, "report.html", ScorecardHtml.ToHtml(scorecard, plots, assessment), cancellationToken).ConfigureAwait(false));
        if (assessment is not null)
        {
            written.Add(await WriteTextAsync(outputDirectory, AssessmentMarkdownFile, assessment.ToMarkdown(), cancellationToken).ConfigureAwait(false));
            written.Add(await WriteTextAsync(outputDirectory, AssessmentJsonFile, assessment.ToJson(), cancellationToken).ConfigureAwait(false));
        }

        return written;
    }

    /// <summary>Returns a file name stem for a run: the scenario name with unsafe characters replaced, and <c>-r2</c>… for repetitions.</summary>
    public static string FileStem(string scenario, int repetition)
    {
        var safe = new string([.. scenario.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        return repetition > 1 ? string.Create(CultureInfo.InvariantCulture, $"{safe}-r{repetition}") : safe;
    }

    private static async Task<string> WriteTextAsync(string folder, string name, string content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return path;
    }
}
