using System.Globalization;
using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Run;
using Spectre.Console;

namespace SinkIdempotency.Cli.Assessment;

/// <summary>Executes <c>sink-idempotency assess --compare A.json B.json</c>: prints two assessments side by side, row by row, with their figures and which differ.</summary>
/// <remarks>Exit codes: 0 every row has the same status in both; 1 a row's status differs, or a row exists in one only; 2 a file cannot be read or is not an <c>assessment.json</c>.</remarks>
internal sealed class AssessCompareExecution(TextWriter output, TextWriter error)
{
    public async Task<int> ExecuteAsync(string leftPath, string rightPath, CancellationToken cancellationToken)
    {
        var left = await ReadAsync(leftPath, cancellationToken).ConfigureAwait(false);
        var right = await ReadAsync(rightPath, cancellationToken).ConfigureAwait(false);
        if (left is null || right is null)
        {
            return ExitCodes.UsageError;
        }

        var comparison = AssessmentComparison.Compare(left, right);
        var console = CliConsole.Create(output, interactive: false);
        var (a, b) = ($"A: {left.Environment}", $"B: {right.Environment}");
        console.WriteLine($"A: {left.Name} on {left.Environment}, {left.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({leftPath})");
        console.WriteLine($"B: {right.Name} on {right.Environment}, {right.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({rightPath})");
        var table = new Table().AddColumns("Row", Markup.Escape(a), Markup.Escape(b), "Differs", "Figures (A → B; * differs)");
        foreach (var row in comparison.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Title),
                Status(row.Left),
                Status(row.Right),
                row.StatusDiffers ? "yes" : "-",
                Markup.Escape(string.Join("\n", row.Figures.Select(Figure))));
        }

        table.AddRow("Overall", AssessmentScorecard.StatusKey(left.Overall), AssessmentScorecard.StatusKey(right.Overall), left.Overall != right.Overall ? "yes" : "-", string.Empty);
        console.Write(table);
        var differences = comparison.Differences;
        console.WriteLine(differences.Count == 0
            ? $"Every row has the same status in both assessments ({comparison.Rows.Count} rows)."
            : $"{differences.Count} of {comparison.Rows.Count} rows differ in status: {string.Join(", ", differences.Select(d => d.Title))}.");
        return differences.Count == 0 ? ExitCodes.Ok : ExitCodes.Red;
    }

    private static string Status(AssessmentRow? row) => row is null ? "absent" : AssessmentScorecard.StatusKey(row.Status);

    private static string Figure(ComparedFigure figure)
    {
        static string Value(double? value) => value switch
        {
            null => "absent",
            { } v when !double.IsFinite(v) => "unbounded",
            { } v => v.ToString("#,0.###", CultureInfo.InvariantCulture),
        };

        return figure.Left == figure.Right
            ? $"{figure.Name}: {Value(figure.Left)} {figure.Unit}"
            : $"* {figure.Name}: {Value(figure.Left)} → {Value(figure.Right)} {figure.Unit}";
    }

    private async Task<AssessmentScorecard?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return AssessmentScorecard.FromJson(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{path}: cannot read it: {ex.Message}").ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            await error.WriteLineAsync($"{path}: {ex.Message}").ConfigureAwait(false);
        }

        return null;
    }
}
